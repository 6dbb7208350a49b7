# SPDX-License-Identifier: GPL-2.0-or-later
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible_collections.vvp.sriov.plugins.modules import facts, pf


def test_facts_from_list_owners_status(host, run_module):
    r = run_module(pf.main, dict(pf='0000:01:00.0', num_vfs=2, driver='vfio-pci',
                                 config_dir=host.config_dir))
    assert not r.failed
    r = run_module(facts.main, dict(config_dir=host.config_dir))
    assert not r.failed and not r.result['changed']
    v = r.result['ansible_facts']['vvp']
    pf0 = [p for p in v['pfs'] if p['address'] == '0000:01:00.0'][0]
    assert pf0['num_vfs'] == 2 and [x['driver'] for x in pf0['vfs']] == ['vfio-pci'] * 2
    assert v['owners'] == [{'address': '0000:01:00.0', 'backend': 'sim'}]
    assert v['in_sync'] is True and v['drifted'] == []
    assert [s['pf'] for s in v['status']] == ['0000:01:00.0']
    assert [c['argv'] for c in host.calls()][-3:] == \
        [['list', '-j'], ['owner', 'list', '-j'], ['status', '-j']]


def test_facts_report_drift(host, run_module):
    run_module(pf.main, dict(pf='0000:01:00.0', num_vfs=2, config_dir=host.config_dir))
    host.load()
    host.state['pfs']['0000:01:00.0']['num_vfs'] = 1
    host.save()
    v = run_module(facts.main, dict(config_dir=host.config_dir)).result['ansible_facts']['vvp']
    assert v['in_sync'] is False and v['drifted'] == ['0000:01:00.0']


def test_facts_without_owners_or_valid_config(host, run_module):
    host.state['owners'] = None
    host.save()
    with open(os.path.join(host.config_dir, 'vvp.conf'), 'w') as f:
        f.write('[pf 0000:01:00.0]\nbogus = 1\n')
    r = run_module(facts.main, dict(config_dir=host.config_dir))
    assert not r.failed
    v = r.result['ansible_facts']['vvp']
    assert v['owners'] == [] and v['owners_error'].startswith('Error: cannot list owners')
    assert v['status'] == [] and 'unknown key bogus' in v['status_error']
    assert v['in_sync'] is False and len(v['pfs']) == 2
