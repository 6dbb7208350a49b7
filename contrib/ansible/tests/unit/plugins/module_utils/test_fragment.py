# SPDX-License-Identifier: GPL-2.0-or-later
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.vvp.sriov.plugins.module_utils import fragment, vvpctl


def test_render_sets_only_given_keys():
    t = fragment.render('0000:01:00.0', num_vfs=2, transitional=False,
                        vfs=[dict(index=1, mtu=9000, mac=None, transitional=True,
                                  driver=None),
                             dict(index=0, mac='02:00:00:00:00:01', mtu=None,
                                  transitional=None, driver='none')])
    assert t == (fragment.HEADER +
                 '[pf 0000:01:00.0]\nnum_vfs = 2\ntransitional = off\n'
                 '\n[vf 0000:01:00.0/0]\nmac = 02:00:00:00:00:01\ndriver = none\n'
                 '\n[vf 0000:01:00.0/1]\nmtu = 9000\ntransitional = on\n')


def test_names():
    assert fragment.section_id(pf='1A:00.3') == '0000:1a:00.3'
    assert fragment.section_id(serial='00-1B-21-ff-ff-b2-5e-3c') == \
        'serial=00-1b-21-ff-ff-b2-5e-3c'
    assert fragment.file_name('serial=00-1b-21-ff-ff-b2-5e-3c') == \
        'conf.d/ansible-serial-00-1b-21-ff-ff-b2-5e-3c.conf'
    with pytest.raises(fragment.FragmentError):
        fragment.section_id(serial='00-1b')


def test_error_lines_pick_problems_and_errors():
    err = ('apply: waited 10 ms for the lock of 0000:01:00.0\n'
           '/etc/vvp/vvp.conf:2: num_vfs: 9 is above sriov_totalvfs 8\n'
           'Error: apply refuses an invalid config (1 problem, listed above)\n')
    assert vvpctl.error_lines(err) == err.splitlines()[1] + '\n' + err.splitlines()[2]
    assert vvpctl.error_lines('something odd\n') == 'something odd'
