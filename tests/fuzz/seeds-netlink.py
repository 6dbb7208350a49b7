#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The seeds of fuzz-netlink (corpus/netlink/): well-formed messages of
each kind vvp.ko sends, and a few that are not, each behind the byte
that picks the parser (see fuzz-netlink.c). Run again to remake them:
  tests/fuzz/seeds-netlink.py tests/fuzz/corpus/netlink
"""
import os
import struct
import sys

NLMSG_ERROR, NLMSG_DONE = 2, 3
NLM_F_MULTI, NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x2, 0x100, 0x200
FAMILY = 0x20                     # fuzz-netlink.c's FAMILY
OWNER_GET, MEMBER_GET = 1, 2
OWNER_ADD, OWNER_DEL, MEMBER_CHANGE = 4, 5, 6
ERR_MSG, ERR_OFFS, ERR_COOKIE, ERR_POLICY, ERR_MISS_TYPE = 1, 2, 3, 4, 5
POL_MIN_U, POL_MAX_U = 4, 5
O_DEV, O_BACKEND, O_CAPS, O_NUM, O_TOTAL = 1, 2, 3, 4, 5
M_OWNER, M_INDEX, M_DEV, M_MAC, M_MTU, M_PAIRS, M_FEAT, M_TRANS, M_BUSY = \
    range(1, 10)


def align(b):
    return b + b'\0' * (-len(b) % 4)


def attr(t, data, nested=False):
    return align(struct.pack('=HH', 4 + len(data), t | (0x8000 if nested
                                                        else 0)) + data)


def s(t, text):
    return attr(t, text.encode() + b'\0')


def u32(t, v):
    return attr(t, struct.pack('=I', v))


def u64(t, v):
    return attr(t, struct.pack('=Q', v))


def msg(typ, payload, flags=0):
    return struct.pack('=IHHII', 16 + len(payload), typ, flags, 0, 0) + payload


def genl(cmd, attrs, typ=FAMILY, flags=0):
    return msg(typ, struct.pack('=BBH', cmd, 1, 0) + b''.join(attrs), flags)


def err(error, tlvs=b'', capped=True, orig=b''):
    req = msg(0x1c, orig, 0x5) if not capped else struct.pack('=IHHII', 16 + len(orig), 0x1c, 5, 0, 0)
    flags = (NLM_F_CAPPED if capped else 0) | (NLM_F_ACK_TLVS if tlvs else 0)
    return msg(NLMSG_ERROR, struct.pack('=i', error) + req + tlvs, flags)


owner = [s(O_DEV, '0000:01:00.0'), s(O_BACKEND, 'sim'), u32(O_CAPS, 0x3f),
         u32(O_NUM, 4), u32(O_TOTAL, 8)]
member = [s(M_OWNER, '0000:01:00.0'), u32(M_INDEX, 1),
          s(M_DEV, '0000:01:00.2'), attr(M_MAC, bytes.fromhex('021122334401')),
          u32(M_MTU, 9000), u32(M_PAIRS, 4), u64(M_FEAT, 1 << 32 | 0x20),
          attr(M_TRANS, b'\1'), attr(M_BUSY, b'\0')]
policy = attr(ERR_POLICY, u64(POL_MIN_U, 68) + u64(POL_MAX_U, 65535), True)

seeds = {
    'err-capped': (0, err(-95, s(ERR_MSG, 'backend sim cannot provision mac.'))),
    'err-uncapped': (0, err(-34, u32(ERR_OFFS, 36) + s(ERR_MSG, 'out of range')
                            + u32(ERR_MISS_TYPE, 3) + policy, False,
                            b'\xee' * 13)),
    'err-ack': (0, err(0)),
    'err-policy-short': (0, err(-34, attr(ERR_POLICY, u32(POL_MIN_U, 1), True))),
    'done-ok': (1, msg(NLMSG_DONE, struct.pack('=i', 0), NLM_F_MULTI)),
    'done-err': (1, msg(NLMSG_DONE, struct.pack('=i', -19) + s(ERR_MSG, 'PF gone.'),
                        NLM_F_MULTI | NLM_F_ACK_TLVS)),
    'owner': (2, genl(OWNER_GET, owner)),
    'owner-unknown-attr': (2, genl(OWNER_GET, owner[:1] + [u32(42, 7)])),
    'owner-nested-wrong': (2, genl(OWNER_GET, [attr(O_DEV, s(1, 'x'), True)])),
    'member': (3, genl(MEMBER_GET, member)),
    'member-short-mac': (3, genl(MEMBER_GET, member[2:3] + [attr(M_MAC, b'\2\0')])),
    'member-truncated': (3, genl(MEMBER_GET, member)[:40]),
    'attr-at': (4, struct.pack('=I', 20) + genl(3, [s(M_DEV, '0000:01:00.1'),
                                                  u32(M_MTU, 9000)])),
    'monitor': (5, genl(MEMBER_CHANGE, member) + genl(OWNER_ADD, owner) +
                genl(OWNER_DEL, owner[:1]) + genl(99, owner[:1])),
    'monitor-oversized': (5, struct.pack('=IHHII', 4096, FAMILY, 0, 0, 0) +
                          struct.pack('=BBH', OWNER_ADD, 1, 0) + owner[0]),
}

out = sys.argv[1] if len(sys.argv) > 1 else 'tests/fuzz/corpus/netlink'
os.makedirs(out, exist_ok=True)
for name, (kind, data) in seeds.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(bytes([kind]) + data)
