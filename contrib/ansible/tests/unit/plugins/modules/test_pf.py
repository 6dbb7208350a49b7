# SPDX-License-Identifier: GPL-2.0-or-later
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import stat

from ansible_collections.vvp.sriov.plugins.modules import pf

PF = '0000:01:00.0'
LAYOUT = dict(pf=PF, num_vfs=4, driver='vfio-pci',
              vfs=[dict(index=1, mac='02:11:22:33:44:01', driver='vvp_vfio_pci')])


def args(host, **kw):
    a = dict(LAYOUT, config_dir=host.config_dir)
    a.update(kw)
    return a


def frag_path(host, name='ansible-0000:01:00.0.conf'):
    return os.path.join(host.config_dir, 'conf.d', name)


def test_first_run_writes_fragment_and_applies(host, run_module):
    r = run_module(pf.main, args(host))
    assert not r.failed, r.result
    assert r.result['changed'] and r.result['fragment_changed']
    assert r.result['address'] == PF
    assert [s['kind'] for s in r.result['plan']] == \
        ['num_vfs', 'provision'] + ['bind'] * 4
    assert all(s['state'] == 'done' for s in r.result['plan'])
    st = os.stat(frag_path(host))
    assert stat.S_IMODE(st.st_mode) == 0o600
    text = host.fragment()
    assert '[pf 0000:01:00.0]\nnum_vfs = 4\ndriver = vfio-pci\n' in text
    assert '[vf 0000:01:00.0/1]\nmac = 02:11:22:33:44:01\ndriver = vvp_vfio_pci\n' in text
    apply = host.calls('apply')
    assert [c['argv'] for c in apply] == [['apply', PF, '--wait', '30', '-j']]
    assert apply[0]['config']['conf.d/ansible-0000:01:00.0.conf'] == text
    model = host.load()['pfs'][PF]
    assert model['num_vfs'] == 4 and model['vfs']['1']['driver'] == 'vvp_vfio_pci'
    # no temporary file left next to it
    assert os.listdir(os.path.dirname(frag_path(host))) == ['ansible-0000:01:00.0.conf']


def test_second_run_is_not_changed(host, run_module):
    run_module(pf.main, args(host))
    mtime = os.stat(frag_path(host)).st_mtime_ns
    r = run_module(pf.main, args(host))
    assert not r.failed
    assert not r.result['changed'] and not r.result['fragment_changed']
    assert r.result['plan'] == [] and r.result['result'] == 'nothing_to_do'
    assert os.stat(frag_path(host)).st_mtime_ns == mtime


def test_drift_is_repaired_with_the_same_fragment(host, run_module):
    run_module(pf.main, args(host))
    st = host.load()
    st['pfs'][PF]['vfs']['2']['driver'] = 'nvme'
    host.state = st
    host.save()
    r = run_module(pf.main, args(host))
    assert r.result['changed'] and not r.result['fragment_changed']
    assert [(s['kind'], s['from'], s['to']) for s in r.result['plan']] == \
        [('bind', 'nvme', 'vfio-pci')]


def test_check_mode_shows_the_plan_and_writes_nothing(host, run_module):
    run_module(pf.main, args(host))
    before_text, before_model = host.fragment(), host.load()['pfs']
    r = run_module(pf.main, args(host, num_vfs=2, driver='host'), check=True)
    assert not r.failed, r.result
    assert r.result['changed'] and r.result['fragment_changed']
    assert r.result['plan'][0]['kind'] == 'num_vfs'
    assert all(s['state'] == 'planned' for s in r.result['plan'])
    assert host.fragment() == before_text
    assert host.load()['pfs'] == before_model
    dry = host.calls('apply')[-1]
    assert '--dry-run' in dry['argv']
    # the dry run saw the would-be fragment, in a copy of the config dir
    assert dry['config_dir'] != host.config_dir
    assert 'num_vfs = 2\ndriver = host\n' in \
        dry['config']['conf.d/ansible-0000:01:00.0.conf']
    assert not os.path.exists(dry['config_dir'])


def test_check_mode_keeps_the_other_files(host, run_module):
    with open(os.path.join(host.config_dir, 'vvp.conf'), 'w') as f:
        f.write('[pf 0000:02:00.0]\nnum_vfs = 1\n')
    r = run_module(pf.main, args(host), check=True)
    dry = host.calls('apply')[-1]
    assert dry['config']['vvp.conf'] == '[pf 0000:02:00.0]\nnum_vfs = 1\n'
    assert r.result['changed'] and host.fragment() is None


def test_check_mode_unchanged(host, run_module):
    run_module(pf.main, args(host))
    r = run_module(pf.main, args(host), check=True)
    assert not r.result['changed'] and r.result['plan'] == []


def test_diff_mode(host, run_module):
    run_module(pf.main, args(host))
    r = run_module(pf.main, args(host, num_vfs=2), check=True, diff=True)
    d = r.result['diff']
    assert 'num_vfs = 4' in d[0]['before'] and 'num_vfs = 2' in d[0]['after']
    assert d[0]['before_header'] == frag_path(host)
    assert 'num_vfs   0000:01:00.0     4 -> 2 (planned)' in d[1]['prepared']


def test_failure_restores_the_fragment(host, run_module):
    run_module(pf.main, args(host))
    old = host.fragment()
    host.load()
    host.state['fail_apply'] = ('step 3 of 3 failed: provision 0000:01:00.0/1 '
                                '(Input/output error: injected)')
    host.save()
    model = host.load()['pfs']
    r = run_module(pf.main, args(host, vfs=[dict(index=1, mac='02:11:22:33:44:99')]))
    assert r.failed
    assert r.result['msg'] == 'Error: ' + host.state['fail_apply']
    assert r.result['put_back'] is True and r.result['result'] == 'failed'
    assert r.result['plan'][-1]['state'] == 'failed'
    assert host.fragment() == old
    assert host.load()['pfs'] == model


def test_failure_removes_a_new_fragment(host, run_module):
    host.state['fail_apply'] = 'bind failed'
    host.save()
    r = run_module(pf.main, args(host))
    assert r.failed and r.result['msg'] == 'Error: bind failed'
    assert host.fragment() is None
    assert os.listdir(os.path.join(host.config_dir, 'conf.d')) == []


def test_invalid_config_fails_with_the_problems(host, run_module):
    with open(os.path.join(host.config_dir, 'vvp.conf'), 'w') as f:
        f.write('[pf 0000:01:00.0]\nnum_vfs = 1\n')
    r = run_module(pf.main, args(host))
    assert r.failed
    lines = r.result['msg'].splitlines()
    assert lines[0].startswith('conf.d/ansible-0000:01:00.0.conf:')
    assert lines[-1].startswith('Error: apply refuses an invalid config')
    assert host.fragment() is None


def test_absent_returns_to_zero_vfs_and_removes_the_fragment(host, run_module):
    run_module(pf.main, args(host))
    r = run_module(pf.main, dict(pf=PF, state='absent', config_dir=host.config_dir))
    assert not r.failed, r.result
    assert r.result['changed'] and r.result['fragment_changed']
    assert [(s['kind'], s['to']) for s in r.result['plan']] == [('num_vfs', '0')]
    assert host.fragment() is None
    assert host.load()['pfs'][PF]['num_vfs'] == 0
    # applied with num_vfs = 0 in the fragment's place
    assert 'num_vfs = 0' in host.calls('apply')[-1]['config']['conf.d/ansible-0000:01:00.0.conf']
    r = run_module(pf.main, dict(pf=PF, state='absent', config_dir=host.config_dir))
    assert not r.result['changed'] and host.fragment() is None


def test_absent_in_check_mode_changes_nothing(host, run_module):
    run_module(pf.main, args(host))
    old = host.fragment()
    r = run_module(pf.main, dict(pf=PF, state='absent', config_dir=host.config_dir),
                   check=True)
    assert r.result['changed'] and r.result['plan'][0]['to'] == '0'
    assert host.fragment() == old and host.load()['pfs'][PF]['num_vfs'] == 4


def test_absent_failure_keeps_the_fragment(host, run_module):
    run_module(pf.main, args(host))
    old = host.fragment()
    host.load()
    host.state['fail_apply'] = 'num_vfs failed'
    host.save()
    r = run_module(pf.main, dict(pf=PF, state='absent', config_dir=host.config_dir))
    assert r.failed and r.result['msg'] == 'Error: num_vfs failed'
    assert host.fragment() == old and host.load()['pfs'][PF]['num_vfs'] == 4


def test_serial_is_resolved_by_vvpctl(host, run_module):
    r = run_module(pf.main, dict(serial='00-1B-21-FF-FF-B2-5E-3C', num_vfs=2,
                                 config_dir=host.config_dir))
    assert not r.failed, r.result
    assert r.result['address'] == '0000:02:00.0'
    assert host.fragment('ansible-serial-00-1b-21-ff-ff-b2-5e-3c.conf').startswith(
        '# Written by Ansible')
    assert host.calls('apply')[-1]['argv'][1] == '0000:02:00.0'
    assert host.load()['pfs']['0000:02:00.0']['num_vfs'] == 2


def test_unknown_serial_fails(host, run_module):
    r = run_module(pf.main, dict(serial='00-00-00-00-00-00-00-01', num_vfs=2,
                                 config_dir=host.config_dir))
    assert r.failed and 'no PF has serial number' in r.result['msg']


def test_bad_input_fails_before_vvpctl(host, run_module):
    for bad, why in ((dict(pf='01:00'), 'not a PCI address'),
                     (dict(vfs=[dict(index=0, mac='02:00:00:00:00:01\n[pf x]')]),
                      'control character'),
                     (dict(vfs=[dict(index=0), dict(index=0)]), 'given twice')):
        r = run_module(pf.main, args(host, **bad))
        assert r.failed and why in r.result['msg']
    assert host.calls() == []


def test_short_address_is_canonical(host, run_module):
    r = run_module(pf.main, args(host, pf='01:00.0'))
    assert r.result['address'] == PF and host.fragment() is not None
