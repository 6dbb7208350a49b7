# SPDX-License-Identifier: GPL-2.0-or-later
"""ansible-test, with the sanity tests' Python requirements taken from the
system (Debian's pylint, yamllint, python3-pycodestyle, python3-voluptuous,
python3-yaml, python3-jinja2) instead of pip: each test's virtual
environment is made with the system's site packages and nothing is
installed into it. ansible-test would otherwise fetch pip and the pinned
requirements from the network, which a build machine may not reach.
Run: python3 ansible-test-offline.py sanity ... (from the collection)."""
import sys

from ansible_test._internal.commands import sanity
from ansible_test._internal import venv

_create = venv.create_virtual_environment


def create_with_system_packages(args, python, path, system_site_packages=False,
                                pip=False):
    return _create(args, python, path, True, pip)


def no_pip(*args, **kwargs):
    return None


for mod in (sanity, venv):
    if hasattr(mod, 'create_virtual_environment'):
        mod.create_virtual_environment = create_with_system_packages
    if hasattr(mod, 'run_pip'):
        mod.run_pip = no_pip

from ansible_test._internal import main  # noqa: E402

sys.argv[0] = 'ansible-test'
main()
