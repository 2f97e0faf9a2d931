#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: main-metric.sh with narrow = true.
SR_CONFIG_TEXT='[symroute]
narrow = true
main-mode = metric'
export SR_CONFIG_TEXT
exec "$(dirname "$0")/main-metric.sh" "$@"
