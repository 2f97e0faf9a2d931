#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: main-prefer.sh with narrow = true: rules cannot be listed alone there, so a shorter
# (or no) prefer list must still converge.
SR_CONFIG_TEXT='[symroute]
narrow = true'
export SR_CONFIG_TEXT
exec "$(dirname "$0")/main-prefer.sh" "$@"
