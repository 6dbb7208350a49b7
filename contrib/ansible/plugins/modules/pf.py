#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright: vvp contributors
# GNU General Public License v2.0+ (see https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: pf
short_description: The wanted state of one SR-IOV PF and its VFs, through vvpctl apply
version_added: "0.1.0"
description:
  - Writes the PF's fragment of the vvp config, C(<config_dir>/conf.d/ansible-<PF>.conf)
    (mode 0600, through a temporary file and a rename), then runs C(vvpctl apply -j <PF>),
    which makes the PF and its VFs what the whole config says, in vvp's safe order
    (VF count, provisioning through the vvp kernel module, drivers).
  - The task is changed when the fragment changed or a step of the apply plan was carried
    out; a second run with the same parameters writes nothing and has an empty plan.
  - When the apply fails, vvpctl has put the PF back as it was; the module puts the
    fragment back as it was too, and fails the task with vvpctl's C(Error:) line.
  - In check mode the plan comes from C(vvpctl apply --dry-run -j) run against a private
    copy of the config directory holding the would-be fragment (through C(VVP_CONFIG_DIR));
    nothing is written, the fragment included.
  - With I(state=absent) the PF is applied with C(num_vfs = 0) (every VF removed) and its
    fragment is removed.
  - The module reads no sysfs and speaks no netlink itself; everything goes through vvpctl.
author:
  - vvp contributors (!UNKNOWN)
options:
  pf:
    description:
      - The PF's PCI address, C(DDDD:BB:DD.F) (the domain may be left out).
      - Exactly one of I(pf) and I(serial) is required.
    type: str
  serial:
    description:
      - The PF's PCI Express Device Serial Number, eight hex pairs separated by C(-),
        as C(lspci -vv) shows it; see vvp.conf(5), SERIAL NUMBERS.
    type: str
  num_vfs:
    description:
      - The number of VFs. Not set, the VF count is left alone.
    type: int
  driver:
    description:
      - The default driver of the PF's VFs; a driver name (C(vfio-pci), C(vvp_vfio_pci)),
        C(host) (the VF's own driver) or C(none) (unbound). Not set, left alone.
    type: str
  transitional:
    description:
      - The default transitional (legacy and modern virtio-net) personality of the VFs.
    type: bool
  autoprobe:
    description:
      - The PF's C(sriov_drivers_autoprobe) after the apply. Not set, left alone.
    type: bool
  vfs:
    description:
      - Settings of single VFs; each becomes a C([vf PF/INDEX]) section.
    type: list
    elements: dict
    default: []
    suboptions:
      index:
        description: The VF's index (its C(virtfnN) link), from 0.
        type: int
        required: true
      mac:
        description: The VF's MAC address, provisioned through the vvp kernel module.
        type: str
      mtu:
        description: The VF's MTU, 68 to 65535.
        type: int
      transitional:
        description: Whether the VF offers the transitional personality.
        type: bool
      driver:
        description: The VF's driver, over the PF's default; as I(driver).
        type: str
  state:
    description:
      - C(present) writes the fragment and applies it; C(absent) applies the PF with 0 VFs
        and removes its fragment.
    type: str
    choices: [present, absent]
    default: present
  config_dir:
    description:
      - The vvp config directory (vvpctl reads it through C(VVP_CONFIG_DIR) when it is not
        the default).
    type: path
    default: /etc/vvp
  wait:
    description:
      - How long vvpctl waits for the PF's lock, in seconds (C(vvpctl apply --wait)).
    type: int
    default: 30
attributes:
  check_mode:
    support: full
    description: Runs C(vvpctl apply --dry-run) against a private copy of the config.
  diff_mode:
    support: full
    description: Shows the fragment's diff and the plan.
requirements:
  - vvpctl (the vvp package) on the managed host, run as root.
notes:
  - A key may be set once per PF across the whole config (vvp.conf(5), FILES); a key this
    module sets must not also be set for the same PF in C(vvp.conf) or another fragment.
  - Fragments of this module are named C(ansible-<address>.conf) or
    C(ansible-serial-<serial>.conf).
seealso:
  - module: vvp.sriov.facts
'''

EXAMPLES = r'''
- name: Four VFs for vfio-pci, one transitional on vvp_vfio_pci
  vvp.sriov.pf:
    pf: "0000:01:00.0"
    num_vfs: 4
    driver: vfio-pci
    vfs:
      - { index: 1, mac: "02:11:22:33:44:01", mtu: 9000, transitional: true, driver: vvp_vfio_pci }

- name: A PF named by its serial number, VFs on their own driver
  vvp.sriov.pf:
    serial: 00-1b-21-ff-ff-b2-5e-3c
    num_vfs: 8
    driver: host

- name: Back to 0 VFs, the fragment removed
  vvp.sriov.pf:
    pf: "0000:01:00.0"
    state: absent
'''

RETURN = r'''
address:
  description: The PF's PCI address.
  returned: always
  type: str
  sample: "0000:01:00.0"
fragment:
  description: The path of the PF's fragment.
  returned: always
  type: str
  sample: /etc/vvp/conf.d/ansible-0000:01:00.0.conf
fragment_changed:
  description: Whether the fragment was (or, in check mode, would be) written or removed.
  returned: always
  type: bool
plan:
  description:
    - The steps of the apply, as C(vvpctl apply -j) reports them (kind, device, vf_index,
      from, to, state).
  returned: always
  type: list
  elements: dict
  sample: [{"kind": "num_vfs", "device": "0000:01:00.0", "from": "0", "to": "4", "state": "done"}]
result:
  description: vvpctl's result for the PF (nothing_to_do, planned, applied, failed).
  returned: when vvpctl reported on the PF
  type: str
  sample: applied
put_back:
  description: After a failed step, whether vvpctl put the PF back as it was.
  returned: failed
  type: bool
stderr:
  description: What vvpctl printed on standard error.
  returned: always
  type: str
'''

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vvp.sriov.plugins.module_utils.vvpctl import (
    ShadowConfig, Vvpctl, VvpctlError, plan_lines, read_text, steps_done,
    write_private)
from ansible_collections.vvp.sriov.plugins.module_utils.fragment import (
    FragmentError, file_name, render, render_absent, section_id)

VF_OPTIONS = dict(
    index=dict(type='int', required=True),
    mac=dict(type='str'),
    mtu=dict(type='int'),
    transitional=dict(type='bool'),
    driver=dict(type='str'),
)

ARGUMENT_SPEC = dict(
    pf=dict(type='str'),
    serial=dict(type='str'),
    num_vfs=dict(type='int'),
    driver=dict(type='str'),
    transitional=dict(type='bool'),
    autoprobe=dict(type='bool'),
    vfs=dict(type='list', elements='dict', default=[], options=VF_OPTIONS),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    config_dir=dict(type='path', default='/etc/vvp'),
    wait=dict(type='int', default=30),
)


def wanted_text(p, sid):
    if p['state'] == 'absent':
        return None
    return render(sid, num_vfs=p['num_vfs'], driver=p['driver'],
                  transitional=p['transitional'], autoprobe=p['autoprobe'],
                  vfs=p['vfs'])


def restore(path, old):
    """The fragment as it was before this task."""
    if old is None:
        if os.path.exists(path):
            os.unlink(path)
    else:
        write_private(path, old)


def ensure_confd(config_dir):
    # root-owned, not writable by group or others: libvvp refuses it else
    d = os.path.join(config_dir, 'conf.d')
    if not os.path.isdir(d):
        os.makedirs(d, 0o755)


def dry_run(vvpctl, p, rel, text, addr):
    """The plan against the would-be config, nothing written."""
    with ShadowConfig(p['config_dir'], rel, text) as shadow:
        try:
            return vvpctl.apply(addr, dry_run=True, config_dir=shadow.path)
        except VvpctlError as e:
            e.msg = shadow.real_paths(e.msg)
            e.stderr = shadow.real_paths(e.stderr)
            raise


def real_run(vvpctl, p, path, old, text, addr):
    """Write (or, absent, shadow with num_vfs 0) the fragment, apply;
    on failure the fragment goes back to old. Returns the apply's
    (rc, report, stderr)."""
    ensure_confd(p['config_dir'])
    during = text if text is not None else render_absent(p['_sid'])
    if during != old:
        write_private(path, during)
    try:
        res = vvpctl.apply(addr, wait=p['wait'])
    except Exception:
        restore(path, old)
        raise
    if text is None and os.path.exists(path):
        os.unlink(path)
    return res


def resolve(vvpctl, sid):
    if sid.startswith('serial='):
        return vvpctl.resolve_pf(sid)
    return sid


def diff_of(path, old, new, report):
    lines = plan_lines(report)
    return [
        dict(before_header=path, after_header=path,
             before=old or '', after=new or ''),
        dict(prepared='vvpctl apply %s: %s\n%s' % (
            (report or {}).get('pf', ''), (report or {}).get('result', ''),
            ''.join('  %s\n' % l for l in lines) or '  nothing to do\n')),
    ]


def run_module(module):
    p = dict(module.params)
    try:
        sid = section_id(p['pf'], p['serial'])
        text = wanted_text(p, sid)
    except FragmentError as e:
        module.fail_json(msg=str(e))
    p['_sid'] = sid
    rel = file_name(sid)
    path = os.path.join(p['config_dir'], rel)
    old = read_text(path)
    vvpctl = Vvpctl(module, p['config_dir'])
    result = dict(changed=False, fragment=path, plan=[], stderr='',
                  fragment_changed=old != text)
    try:
        result['address'] = addr = resolve(vvpctl, sid)
        if module.check_mode:
            during = text if text is not None else render_absent(sid)
            rc, report, err = dry_run(vvpctl, p, rel, during, addr)
        else:
            rc, report, err = real_run(vvpctl, p, path, old, text, addr)
    except VvpctlError as e:
        report = e.report or {}
        result.update(plan=report.get('steps', []), stderr=e.stderr,
                      fragment_changed=False)
        if 'result' in report:
            result['result'] = report['result']
        if 'put_back' in report:
            result['put_back'] = report['put_back']
        module.fail_json(msg=e.msg, rc=e.rc, **result)
    result.update(plan=report.get('steps', []), result=report.get('result'),
                  stderr=err)
    if module.check_mode:
        result['changed'] = result['fragment_changed'] or bool(result['plan'])
    else:
        result['changed'] = result['fragment_changed'] or steps_done(report) > 0
    if module._diff:
        result['diff'] = diff_of(path, old, text, report)
    module.exit_json(**result)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC,
                           mutually_exclusive=[('pf', 'serial')],
                           required_one_of=[('pf', 'serial')],
                           supports_check_mode=True)
    run_module(module)


if __name__ == '__main__':
    main()
