#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: `symroute sync` runs only the installed libnm helper: SYMROUTE_NM_HELPER in its environment is ignored.
#
# `SYMROUTE_NM_HELPER=/tmp/x symroute sync` ran /tmp/x as root (the variable was meant for the
# tests). Now the binary runs $(libexecdir)/symroute/symroute-nm and nothing else; the
# NetworkManager tests put the build's helper there in their own mount namespace
# (tests/netns/nm-lib.sh). Without NetworkManager here, sync ends with exit 8 either way:
# the helper is not installed, or it cannot reach NetworkManager.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

EVIL=$SR_TMP/not-the-helper
printf '#!/bin/sh\n: >"%s/ran"\nexit 0\n' "$SR_TMP" >"$EVIL" && chmod 755 "$EVIL" ||
	hard_error "cannot write $EVIL"

for args in "" "-n" "-v"; do
	export SYMROUTE_NM_HELPER="$EVIL"
	# shellcheck disable=SC2086
	sr sync $args
	unset SYMROUTE_NM_HELPER
	[ ! -e "$SR_TMP/ran" ] || fail "symroute sync $args ran \$SYMROUTE_NM_HELPER ($EVIL)"
	[ "$SR_RC" = 8 ] || fail "symroute sync $args: expected exit 8 (no helper or no NetworkManager), got $SR_RC: $SR_ERR"
	assert_not_contains "$SR_ERR" "$EVIL" "symroute sync $args does not name the variable's program"
	note "sync $args: exit $SR_RC: $SR_ERR"
done

pass "SYMROUTE_NM_HELPER is ignored: sync runs only the installed helper"
