# SPDX-License-Identifier: GPL-2.0-or-later
"""A fake vvpctl for the unit tests: a small model of one host kept in the
JSON file $FAKE_VVPCTL_STATE, and a config read from $VVP_CONFIG_DIR as
vvpctl reads it (vvp.conf, then conf.d/*.conf in byte order).

The model: {"pfs": {ADDR: {"num_vfs": N, "total_vfs": N, "vfs": {IDX:
{"driver": D, "mac": M}}}}, "owners": [...], "fail_apply": "message"
or null, "serials": {SERIAL: ADDR}}. Every call is appended to
state["calls"] as {"argv", "config_dir", "config"} (config: the files
read, name -> text), so that a test can see what vvpctl was shown.
apply plans num_vfs, provision (mac) and bind (driver) steps, like the
real one in that order, and carries them out unless --dry-run; with
fail_apply set it fails at the last step, reports the PF put back and
changes nothing (the rollback), and fail_apply is used up.
"""
import json
import os
import sys


def load():
    with open(os.environ['FAKE_VVPCTL_STATE']) as f:
        return json.load(f)


def save(state):
    with open(os.environ['FAKE_VVPCTL_STATE'], 'w') as f:
        json.dump(state, f)


def read_files(config_dir, single=None):
    if single:
        return {single: open(single).read()}
    files = {}
    p = os.path.join(config_dir, 'vvp.conf')
    if os.path.isfile(p):
        files['vvp.conf'] = open(p).read()
    d = os.path.join(config_dir, 'conf.d')
    if os.path.isdir(d):
        for n in sorted(os.listdir(d)):
            if n.endswith('.conf') and not n.startswith('.'):
                files['conf.d/' + n] = open(os.path.join(d, n)).read()
    return files


def parse(files, serials):
    """{ADDR: {"keys": {...}, "vfs": {IDX: {...}}}}; problems as a list."""
    pfs, problems, sec = {}, [], None
    for name, text in files.items():
        for no, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line[0] in '#;':
                continue
            if line.startswith('['):
                kind, ident = line[1:-1].split(' ', 1)
                pf, dummy, idx = ident.partition('/')
                if pf.startswith('serial='):
                    pf = serials.get(pf[7:])
                    if pf is None:
                        problems.append('%s:%d: no PF has serial number %s'
                                        % (name, no, ident[7:]))
                        sec = None
                        continue
                ent = pfs.setdefault(pf, {'keys': {}, 'vfs': {}})
                sec = ent['keys'] if kind == 'pf' else \
                    ent['vfs'].setdefault(idx, {})
                continue
            k, dummy, v = line.partition('=')
            k, v = k.strip(), v.strip()
            if k == 'bogus':
                problems.append('%s:%d: unknown key bogus' % (name, no))
            if sec is not None:
                if k in sec:
                    problems.append('%s:%d: %s already set' % (name, no, k))
                sec[k] = v
    return pfs, problems


def plan(pf, want):
    steps = []
    n = want['keys'].get('num_vfs')
    if n is not None and int(n) != pf['num_vfs']:
        steps.append(dict(kind='num_vfs', device=ADDR, from_=str(pf['num_vfs']),
                          to=n))
    count = int(n) if n is not None else pf['num_vfs']
    for i in range(count):
        vf = pf['vfs'].get(str(i), {})
        w = want['vfs'].get(str(i), {})
        if 'mac' in w and w['mac'] != vf.get('mac'):
            steps.append(dict(kind='provision', device='%s/%d' % (ADDR, i),
                              vf_index=i, from_=vf.get('mac', '(new VF)'),
                              to='mac=' + w['mac'], _mac=w['mac']))
    for i in range(count):
        vf = pf['vfs'].get(str(i), {})
        drv = want['vfs'].get(str(i), {}).get(
            'driver', want['keys'].get('driver'))
        if drv is not None and drv != vf.get('driver', 'none'):
            steps.append(dict(kind='bind', device='%s/%d' % (ADDR, i),
                              vf_index=i, from_=vf.get('driver', 'none'),
                              to=drv))
    return steps


def carry_out(pf, steps):
    for s in steps:
        if s['kind'] == 'num_vfs':
            pf['num_vfs'] = int(s['to'])
            pf['vfs'] = {str(i): {} for i in range(pf['num_vfs'])}
        elif s['kind'] == 'provision':
            pf['vfs'][str(s['vf_index'])]['mac'] = s['_mac']
        else:
            pf['vfs'][str(s['vf_index'])]['driver'] = s['to']


def out_steps(steps, state):
    return [dict({k.rstrip('_'): v for k, v in s.items()
                  if not k.startswith('_')}, state=state) for s in steps]


def cmd_apply(state, args, cfg):
    global ADDR
    dry = '--dry-run' in args
    pfs_named = [a for a in args if ':' in a]
    report = []
    rc = 0
    for ADDR in pfs_named:
        if ADDR not in cfg:
            sys.stderr.write('Error: %s is not in the config (no [pf %s] section); '
                             'add one, or name a configured PF\n' % (ADDR, ADDR))
            return 1
        pf = state['pfs'][ADDR]
        steps = plan(pf, cfg[ADDR])
        r = dict(pf=ADDR, dry_run=dry)
        if dry:
            r.update(steps=out_steps(steps, 'planned'),
                     result='planned' if steps else 'nothing_to_do')
        elif steps and state.get('fail_apply'):
            msg = state['fail_apply']
            state['fail_apply'] = None
            r.update(steps=out_steps(steps[:-1], 'undone') +
                     out_steps(steps[-1:], 'failed'),
                     result='failed', failed_step=len(steps) - 1,
                     put_back=True, error=msg)
            sys.stderr.write('Error: %s\n' % msg)
            rc = 1
        else:
            carry_out(pf, steps)
            r.update(steps=out_steps(steps, 'done'),
                     result='applied' if steps else 'nothing_to_do')
        report.append(r)
    print(json.dumps(report))
    return rc


def cmd_status(state, args, cfg):
    out, drift = [], False
    for addr, want in cfg.items():
        global ADDR
        ADDR = addr
        steps = plan(state['pfs'][addr], want)
        drift = drift or bool(steps)
        out.append(dict(pf=addr, present=True, in_sync=not steps))
    print(json.dumps(out))
    return 3 if drift else 0


def cmd_list(state):
    out = []
    for addr, pf in sorted(state['pfs'].items()):
        out.append(dict(address=addr, total_vfs=pf.get('total_vfs', 8),
                        num_vfs=pf['num_vfs'],
                        vfs=[dict(index=int(i), driver=v.get('driver'))
                             for i, v in sorted(pf['vfs'].items())]))
    print(json.dumps(out))
    return 0


def main(argv):
    state = load()
    config_dir = os.environ.get('VVP_CONFIG_DIR', '/etc/vvp')
    single = argv[argv.index('-c') + 1] if '-c' in argv else None
    files = read_files(config_dir, single)
    state.setdefault('calls', []).append(
        dict(argv=argv, config_dir=config_dir, config=files))
    rc = 2
    if argv[:1] == ['list']:
        rc = cmd_list(state)
    elif argv[:2] == ['owner', 'list']:
        if state.get('owners') is None:
            sys.stderr.write('Error: cannot list owners (vvp is not loaded); '
                             'modprobe vvp\n')
            rc = 1
        else:
            print(json.dumps(state['owners']))
            rc = 0
    elif argv[:1] in (['apply'], ['status']):
        cfg, problems = parse(files, state.get('serials', {}))
        if problems:
            sys.stderr.write(''.join(p + '\n' for p in problems))
            sys.stderr.write('Error: %s refuses an invalid config (%d problems, '
                             'listed above); fix the config\n'
                             % (argv[0], len(problems)))
            rc = 1
        elif argv[0] == 'apply':
            rc = cmd_apply(state, argv[1:], cfg)
        else:
            rc = cmd_status(state, argv[1:], cfg)
    save(state)
    return rc


ADDR = None
if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
