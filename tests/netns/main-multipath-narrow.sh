#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: main-multipath.sh with narrow = true: the shared route is read whole there too.
SR_CONFIG_TEXT='[symroute]
narrow = true
main-mode = multipath'
export SR_CONFIG_TEXT
exec "$(dirname "$0")/main-multipath.sh" "$@"
