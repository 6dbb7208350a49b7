#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright: vvp contributors
# GNU General Public License v2.0+ (see https://www.gnu.org/licenses/old-licenses/gpl-2.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: facts
short_description: SR-IOV PFs, VFs, vvp owners and drift from the config, as facts
version_added: "0.1.0"
description:
  - Sets C(ansible_facts.vvp) from C(vvpctl list -j) (PFs, their VFs and drivers),
    C(vvpctl owner list -j) (the PFs a vvp backend owns) and C(vvpctl status -j)
    (each configured PF and VF against the config).
  - A part vvpctl cannot give (no vvp kernel module loaded for the owners, an invalid
    config for the status) is empty and its C(Error:) line is in C(<part>_error);
    the task fails only when vvpctl cannot be run at all.
  - The module changes nothing; it reads no sysfs and speaks no netlink itself.
author:
  - vvp contributors (!UNKNOWN)
options:
  config_dir:
    description:
      - The vvp config directory status compares with (C(VVP_CONFIG_DIR)).
    type: path
    default: /etc/vvp
attributes:
  check_mode:
    support: full
    description: The module only reads.
  diff_mode:
    support: none
    description: Nothing to show.
  facts:
    support: full
    description: Sets C(ansible_facts.vvp).
requirements:
  - vvpctl (the vvp package) on the managed host.
seealso:
  - module: vvp.sriov.pf
'''

EXAMPLES = r'''
- name: Read vvp's view of the host
  vvp.sriov.facts:

- name: Every configured PF is as the config says
  ansible.builtin.assert:
    that: ansible_facts.vvp.in_sync

- name: VF count of a PF
  ansible.builtin.debug:
    msg: "{{ ansible_facts.vvp.pfs | selectattr('address', 'eq', '0000:01:00.0') | map(attribute='num_vfs') | first }}"
'''

RETURN = r'''
ansible_facts:
  description: The facts.
  returned: always
  type: complex
  contains:
    vvp:
      description: vvp's view of the host.
      returned: always
      type: complex
      contains:
        pfs:
          description: C(vvpctl list -j) (address, vendor_id, device_id, driver, total_vfs,
            num_vfs, autoprobe, vfs with index, address, driver, driver_override, iommu_group).
          type: list
          elements: dict
          returned: always
        owners:
          description: C(vvpctl owner list -j) (address, backend, caps, num_members,
            total_members); empty when vvpctl cannot list owners (see owners_error).
          type: list
          elements: dict
          returned: always
        status:
          description: C(vvpctl status -j), one object per configured PF (see vvpctl-status(8)).
          type: list
          elements: dict
          returned: always
        in_sync:
          description: Whether every configured PF and VF is as the config says
            (C(vvpctl status) exit 0).
          type: bool
          returned: always
        drifted:
          description: The addresses of the configured PFs that drifted.
          type: list
          elements: str
          returned: always
        owners_error:
          description: Why owners is empty, when vvpctl failed to list them.
          type: str
          returned: when owner list failed
        status_error:
          description: Why status is empty, when vvpctl status failed (an invalid config).
          type: str
          returned: when status failed
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.vvp.sriov.plugins.module_utils.vvpctl import (
    Vvpctl, VvpctlError)


def part(vvpctl, facts, key, args, ok_rcs=(0,)):
    """facts[key] from vvpctl ARGS -j; [] and <key>_error when it fails.
    Returns vvpctl's exit status (None when it failed)."""
    try:
        rc, data, err = vvpctl.json(args, ok_rcs=ok_rcs)
    except VvpctlError as e:
        facts[key] = []
        facts[key + '_error'] = e.msg
        return None
    facts[key] = data
    return rc


def gather(vvpctl):
    facts = {}
    # the PF list is the one part that must work: it needs no module
    # and no config, only sysfs
    rc, facts['pfs'], err = vvpctl.json(['list'])
    part(vvpctl, facts, 'owners', ['owner', 'list'])
    rc = part(vvpctl, facts, 'status', ['status'], ok_rcs=(0, 3))
    facts['drifted'] = [s.get('pf') for s in facts['status']
                        if not s.get('in_sync', False)]
    facts['in_sync'] = rc == 0
    return facts


def main():
    module = AnsibleModule(
        argument_spec=dict(config_dir=dict(type='path', default='/etc/vvp')),
        supports_check_mode=True)
    vvpctl = Vvpctl(module, module.params['config_dir'])
    try:
        facts = gather(vvpctl)
    except VvpctlError as e:
        module.fail_json(msg=e.msg, rc=e.rc, stderr=e.stderr)
    module.exit_json(changed=False, ansible_facts=dict(vvp=facts))


if __name__ == '__main__':
    main()
