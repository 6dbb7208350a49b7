# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright: vvp contributors
# GNU General Public License v2.0+ (see https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)
"""Running vvpctl for the vvp.sriov modules.

The modules never read sysfs or talk netlink themselves: everything they
know about PFs, VFs and owners comes from vvpctl's JSON, and every change
goes through vvpctl apply. This file runs vvpctl, parses its JSON, picks
its Error: lines, and builds the throw-away config directories that let
a dry run see a fragment before it is written.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import shutil
import tempfile

DEFAULT_CONFIG_DIR = '/etc/vvp'
_PCI_RE = re.compile(r'^(?:([0-9a-f]{4}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])$')
_SERIAL_RE = re.compile(r'^[0-9a-f]{2}(?:-[0-9a-f]{2}){7}$')


class VvpctlError(Exception):
    """vvpctl failed: msg is its Error: line(s), or what went wrong."""

    def __init__(self, msg, rc=None, stdout='', stderr='', report=None):
        super(VvpctlError, self).__init__(msg)
        self.msg = msg
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.report = report


def canonical_pci_address(text):
    """DDDD:BB:DD.F in lower case (the domain may be left out), or None."""
    m = _PCI_RE.match(text.strip().lower())
    if not m:
        return None
    return '%s:%s:%s.%s' % (m.group(1) or '0000', m.group(2), m.group(3),
                            m.group(4))


def canonical_serial(text):
    """Eight hex pairs separated by '-', lower case, or None."""
    s = text.strip().lower()
    return s if _SERIAL_RE.match(s) else None


def error_lines(stderr):
    """What vvpctl said went wrong: its config problem lines and its
    'Error: ...' lines, in order; the whole stderr when it has neither."""
    lines = [l for l in stderr.splitlines() if l.strip()]
    picked = [l for l in lines
              if l.startswith('Error: ') or re.match(r'^\S+:\d+: ', l)]
    return '\n'.join(picked or lines)


class Vvpctl(object):
    """vvpctl on the managed host, for one config directory."""

    def __init__(self, module, config_dir=DEFAULT_CONFIG_DIR):
        self.module = module
        self.config_dir = config_dir
        self.path = module.get_bin_path('vvpctl', required=True)

    def _env(self, config_dir):
        env = {'LC_ALL': 'C'}
        if config_dir and config_dir != DEFAULT_CONFIG_DIR:
            env['VVP_CONFIG_DIR'] = config_dir
        return env

    def run(self, args, config_dir=None, ok_rcs=(0,)):
        """(rc, stdout, stderr); VvpctlError when rc is not in ok_rcs."""
        config_dir = config_dir or self.config_dir
        cmd = [self.path] + list(args)
        rc, out, err = self.module.run_command(
            cmd, environ_update=self._env(config_dir))
        if rc not in ok_rcs:
            raise VvpctlError(error_lines(err) or
                              '%s exited with %d' % (' '.join(cmd), rc),
                              rc=rc, stdout=out, stderr=err,
                              report=parse_json(out))
        return rc, out, err

    def json(self, args, config_dir=None, ok_rcs=(0,)):
        """vvpctl ARGS -j, parsed: (rc, data, stderr)."""
        rc, out, err = self.run(list(args) + ['-j'], config_dir, ok_rcs)
        data = parse_json(out)
        if data is None:
            raise VvpctlError('vvpctl %s -j printed no JSON' % ' '.join(args),
                              rc=rc, stdout=out, stderr=err)
        return rc, data, err

    def apply(self, pf, dry_run=False, config_dir=None, wait=None):
        """vvpctl apply PF -j [--dry-run]: (rc, report of the PF, stderr).

        A failed apply (rc 1) is not raised: its JSON says which step
        failed and whether the PF was put back, which the caller reports.
        """
        args = ['apply', pf]
        if dry_run:
            args.append('--dry-run')
        if wait is not None:
            args += ['--wait', str(wait)]
        rc, out, err = self.run(args + ['-j'], config_dir, ok_rcs=(0, 1))
        data = parse_json(out) or []
        report = next((r for r in data if r.get('pf') == pf), None)
        if rc != 0 or report is None:
            raise VvpctlError(error_lines(err) or
                              'vvpctl apply %s failed (exit %d)' % (pf, rc),
                              rc=rc, stdout=out, stderr=err, report=report)
        return rc, report, err

    def resolve_pf(self, section_id, config_dir=None):
        """The address of the PF a section names (an address or
        serial=...), as vvpctl finds it: status of a one-section file."""
        tmp = tempfile.mkdtemp(prefix='vvp-ansible-')
        try:
            path = os.path.join(tmp, 'pf.conf')
            write_private(path, '[pf %s]\n' % section_id)
            rc, data, err = self.json(['status', '-c', path], config_dir,
                                      ok_rcs=(0, 3))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        addrs = [r.get('pf') for r in data if r.get('pf')]
        if len(addrs) != 1:
            raise VvpctlError('no PF has %s (vvpctl status -c of [pf %s] '
                              'names %d PFs)' % (section_id, section_id,
                                                 len(addrs)), stderr=err)
        return addrs[0]


def parse_json(text):
    try:
        return json.loads(text) if text and text.strip() else None
    except ValueError:
        return None


def write_private(path, text):
    """Write text to path through a temporary file and a rename, mode
    0600: a reader (apply at boot, the udev helper) sees the old file or
    the new one, never half of one."""
    d = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=d, prefix='.', suffix='.tmp')
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, path)
    except Exception:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dfd = os.open(d, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def read_text(path):
    """The file's text, or None when it does not exist."""
    try:
        with open(path) as f:
            return f.read()
    except (IOError, OSError) as e:
        if getattr(e, 'errno', None) == 2:
            return None
        raise


def config_files(config_dir):
    """The files libvvp reads, relative to config_dir: vvp.conf, then
    conf.d/*.conf not starting with a dot (vvp.conf(5), FILES)."""
    names = []
    if os.path.isfile(os.path.join(config_dir, 'vvp.conf')):
        names.append('vvp.conf')
    confd = os.path.join(config_dir, 'conf.d')
    if os.path.isdir(confd):
        for n in sorted(os.listdir(confd)):
            if n.endswith('.conf') and not n.startswith('.') and \
                    os.path.isfile(os.path.join(confd, n)):
                names.append('conf.d/' + n)
    return names


class ShadowConfig(object):
    """A private copy of the config directory in which one file is
    replaced (or removed): what the config would be, for a dry run that
    must not write the real one. Use as a context manager; .path is the
    directory to hand to vvpctl (VVP_CONFIG_DIR)."""

    def __init__(self, config_dir, relpath, text):
        self.config_dir = config_dir
        self.relpath = relpath
        self.text = text
        self.path = None

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix='vvp-ansible-')
        os.mkdir(os.path.join(self.path, 'conf.d'), 0o700)
        for rel in config_files(self.config_dir):
            if rel == self.relpath:
                continue
            write_private(os.path.join(self.path, rel),
                          read_text(os.path.join(self.config_dir, rel)) or '')
        if self.text is not None:
            write_private(os.path.join(self.path, self.relpath), self.text)
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)
        return False

    def real_paths(self, text):
        """text with the copy's paths turned back into the real ones."""
        return text.replace(self.path, self.config_dir) if text else text


def plan_lines(report):
    """The plan of one PF's apply report, as vvpctl apply prints it."""
    lines = []
    for s in report.get('steps', []) if report else []:
        state = s.get('state')
        lines.append('%-9s %-16s %s -> %s%s' % (
            s.get('kind', ''), s.get('device', ''), s.get('from', ''),
            s.get('to', ''), ' (%s)' % state if state else ''))
    return lines


def steps_done(report):
    """How many steps of the report changed something."""
    return sum(1 for s in (report or {}).get('steps', [])
               if s.get('state') == 'done')
