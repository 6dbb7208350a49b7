# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures: a fake host (fake_vvpctl.py as vvpctl on PATH, its model in a
JSON file, a config directory) and a way to run a module's main() as
Ansible would, catching exit_json/fail_json."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import stat
import sys

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

FAKE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fake_vvpctl.py')


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super(ModuleExit, self).__init__(result)
        self.result = result
        self.failed = failed


class FakeHost(object):
    def __init__(self, tmp):
        self.state_path = str(tmp / 'state.json')
        self.config_dir = str(tmp / 'etc-vvp')
        os.mkdir(self.config_dir, 0o755)
        self.state = {
            'pfs': {'0000:01:00.0': {'num_vfs': 0, 'total_vfs': 8, 'vfs': {}},
                    '0000:02:00.0': {'num_vfs': 0, 'total_vfs': 8, 'vfs': {}}},
            'owners': [{'address': '0000:01:00.0', 'backend': 'sim'}],
            'serials': {'00-1b-21-ff-ff-b2-5e-3c': '0000:02:00.0'},
            'fail_apply': None,
        }
        self.save()

    def save(self):
        with open(self.state_path, 'w') as f:
            json.dump(self.state, f)

    def load(self):
        with open(self.state_path) as f:
            self.state = json.load(f)
        return self.state

    def fragment(self, name='ansible-0000:01:00.0.conf'):
        p = os.path.join(self.config_dir, 'conf.d', name)
        if not os.path.exists(p):
            return None
        with open(p) as f:
            return f.read()

    def calls(self, verb=None):
        return [c for c in self.load().get('calls', [])
                if verb is None or c['argv'][0] == verb]


@pytest.fixture
def host(tmp_path, monkeypatch):
    bindir = tmp_path / 'bin'
    bindir.mkdir()
    wrapper = bindir / 'vvpctl'
    wrapper.write_text('#!/bin/sh\nexec "%s" "%s" "$@"\n' % (sys.executable, FAKE))
    wrapper.chmod(stat.S_IRWXU)
    h = FakeHost(tmp_path)
    monkeypatch.setenv('PATH', '%s:%s' % (bindir, os.environ.get('PATH', '')))
    monkeypatch.setenv('FAKE_VVPCTL_STATE', h.state_path)
    return h


@pytest.fixture
def run_module(monkeypatch):
    def exit_json(self, **kw):
        raise ModuleExit(kw, False)

    def fail_json(self, msg, **kw):
        kw['msg'] = msg
        raise ModuleExit(kw, True)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)

    def run(main, args, check=False, diff=False):
        args = dict(args, _ansible_check_mode=check, _ansible_diff=diff,
                    _ansible_remote_tmp='/tmp', _ansible_keep_remote_files=False)
        monkeypatch.setattr(basic, '_ANSIBLE_ARGS',
                            to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args})))
        with pytest.raises(ModuleExit) as e:
            main()
        return e.value
    return run
