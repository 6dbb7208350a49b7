#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Print the version: "git describe" in a checkout, else the VERSION file.
cd "$(dirname "$0")" || exit 1
v=$(git describe --tags --dirty --match 'v[0-9]*' 2>/dev/null | sed 's/^v//; s/-/./g')
[ -n "$v" ] || v=$(cat VERSION 2>/dev/null)
printf '%s' "${v:-0.1}"
