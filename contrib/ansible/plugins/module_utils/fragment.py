# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright: vvp contributors
# GNU General Public License v2.0+ (see https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)
"""The conf.d fragment vvp.sriov.pf writes for one PF (vvp.conf(5))."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.vvp.sriov.plugins.module_utils.vvpctl import (
    canonical_pci_address, canonical_serial)

HEADER = '# Written by Ansible (vvp.sriov.pf); changes here are overwritten.\n'


class FragmentError(ValueError):
    pass


def section_id(pf=None, serial=None):
    """The PF as a [pf] section names it: an address or serial=..."""
    if pf is not None:
        addr = canonical_pci_address(pf)
        if not addr:
            raise FragmentError("pf '%s' is not a PCI address (expected DDDD:BB:DD.F)" % pf)
        return addr
    s = canonical_serial(serial or '')
    if not s:
        raise FragmentError("serial '%s' is not a Device Serial Number (eight hex pairs separated by '-')" % serial)
    return 'serial=' + s


def file_name(sid):
    """conf.d/ansible-<PF>.conf: one file per PF, named after how the
    task names it (the address, or serial-<serial>)."""
    return 'conf.d/ansible-%s.conf' % sid.replace('serial=', 'serial-')


def _bool(v):
    return 'on' if v else 'off'


def _keys(params, names):
    out = []
    for k in names:
        v = params.get(k)
        if v is None:
            continue
        if not isinstance(v, (bool, int)) and \
                any(c < ' ' or c == '\x7f' for c in str(v)):
            raise FragmentError('%s: %r has a control character' % (k, v))
        out.append('%s = %s\n' % (k, _bool(v) if isinstance(v, bool) else v))
    return out


def render(sid, num_vfs=None, driver=None, transitional=None, autoprobe=None,
           vfs=None):
    """The fragment's text; keys left None are not written (the config
    leaves those alone). VF sections come in index order."""
    lines = [HEADER, '[pf %s]\n' % sid]
    lines += _keys({'num_vfs': num_vfs, 'driver': driver,
                    'transitional': transitional, 'autoprobe': autoprobe},
                   ('num_vfs', 'driver', 'transitional', 'autoprobe'))
    seen = set()
    for vf in sorted(vfs or [], key=lambda v: v['index']):
        if vf['index'] in seen:
            raise FragmentError('vfs: index %d is given twice' % vf['index'])
        seen.add(vf['index'])
        lines.append('\n[vf %s/%d]\n' % (sid, vf['index']))
        lines += _keys(vf, ('mac', 'mtu', 'transitional', 'driver'))
    return ''.join(lines)


def render_absent(sid):
    """What the PF's fragment says while state=absent is applied."""
    return render(sid, num_vfs=0)
