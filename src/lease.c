// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Purpose: the IPv4 router of an interface's current DHCP lease, read from dhclient's and
 * dhcpcd's own lease files, for when no hook told us (symroute installed after the lease was
 * taken). A DHCP server chose every value in these files: they are parsed as untrusted bytes,
 * bounded in size, and nothing is read past what was read from the file.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "lease.h"
#include "log.h"

#define LEASE_PATH_MAX 4096
/* Longer words are no address, interface or date we compare: they never match. */
#define LEASE_TOKEN_MAX 256
/* The words of a statement we look at (`expire 1 2026/12/07 02:35:14` has four). */
#define LEASE_STMT_TOKENS 5

const struct lease_paths lease_default_paths = {
	.dhclient_dir = "/var/lib/dhcp",
	.dhcpcd_dir = "/var/lib/dhcpcd",
};

/*
 * What one file says about the interface. `current` tells a current lease that names no
 * usable router (the newest lease counts, even so) from no current lease at all.
 */
struct lease_found {
	bool current;
	int r;			/* 0: gw set; -ENOENT: no router; -EINVAL: a malformed one */
	struct addr gw;
	struct addr own;	/* the leased address with its prefix; family 0: not said */
};

/* ---- what both clients' leases share ---- */

/* @gw is the router named by @text; @own the leased address with its prefix, or NULL. */
static int lease_router_check(const char *client, const char *text, const struct addr *gw,
			      const struct addr *own)
{
	const char *why = addr_router_unusable(gw, own);

	if (!why)
		return 0;
	log_warn("%s lease: router '%s': %s", client, text, why);
	return -EINVAL;
}

/* ---- dhclient: `lease { ... }` blocks of statements, appended at each renewal ---- */

enum tok_kind { TOK_EOF, TOK_WORD, TOK_STRING, TOK_PUNCT };

struct token {
	enum tok_kind kind;
	bool bad;			/* longer than text[] or holding a NUL: never matches */
	char text[LEASE_TOKEN_MAX];	/* a punctuation token holds its character */
};

struct lexer {
	const char *p, *end;
};

static bool is_punct(char c)
{
	return c == '{' || c == '}' || c == ';' || c == ',';
}

static void token_add(struct token *t, size_t *n, char c)
{
	if (c == '\0' || *n + 1 >= sizeof(t->text)) {
		t->bad = true;
		return;
	}
	t->text[(*n)++] = c;
	t->text[*n] = '\0';
}

static void lex_blanks(struct lexer *lx)
{
	while (lx->p < lx->end) {
		if (isspace((unsigned char)*lx->p)) {
			lx->p++;
		} else if (*lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else {
			break;
		}
	}
}

/*
 * The next word, "string" or punctuation. A string cut off by the end of the file is the end
 * of the file: dhclient was writing it. dhclient escapes '"' and '\' with a backslash (and
 * unprintable bytes as \ooo, kept as the digits: they match no interface name).
 */
static void lex_next(struct lexer *lx, struct token *t)
{
	size_t n = 0;

	t->bad = false;
	t->text[0] = '\0';
	lex_blanks(lx);
	if (lx->p == lx->end) {
		t->kind = TOK_EOF;
		return;
	}
	if (is_punct(*lx->p)) {
		t->kind = TOK_PUNCT;
		token_add(t, &n, *lx->p++);
		return;
	}
	if (*lx->p == '"') {
		t->kind = TOK_STRING;
		for (lx->p++; lx->p < lx->end && *lx->p != '"'; lx->p++) {
			if (*lx->p == '\\' && lx->p + 1 < lx->end)
				lx->p++;
			token_add(t, &n, *lx->p);
		}
		if (lx->p == lx->end)
			t->kind = TOK_EOF;
		else
			lx->p++;
		return;
	}
	t->kind = TOK_WORD;
	while (lx->p < lx->end && !isspace((unsigned char)*lx->p) && !is_punct(*lx->p) &&
	       *lx->p != '"' && *lx->p != '#')
		token_add(t, &n, *lx->p++);
}

static bool token_is(const struct token *t, const char *word)
{
	return t->kind == TOK_WORD && !t->bad && strcmp(t->text, word) == 0;
}

/* A value: a word or a "string" (dhclient quotes the interface; a hand-edited file, more). */
static const char *token_value(const struct token *t)
{
	return (t->kind == TOK_WORD || t->kind == TOK_STRING) && !t->bad ? t->text : NULL;
}

/* One statement: its first words, then how it ended. */
struct stmt {
	struct token tok[LEASE_STMT_TOKENS];
	unsigned n;
};

enum stmt_end {
	STMT_SEMI,	/* `words ;` */
	STMT_OPEN,	/* `words {`: the caller reads or skips the block */
	STMT_CLOSE,	/* the enclosing block's `}` (a statement without its ';' is dropped) */
	STMT_EOF,
};

static enum stmt_end read_stmt(struct lexer *lx, struct stmt *st)
{
	struct token t;

	st->n = 0;
	for (;;) {
		lex_next(lx, &t);
		if (t.kind == TOK_EOF)
			return STMT_EOF;
		if (t.kind == TOK_PUNCT && t.text[0] == ';')
			return STMT_SEMI;
		if (t.kind == TOK_PUNCT && t.text[0] == '{')
			return STMT_OPEN;
		if (t.kind == TOK_PUNCT && t.text[0] == '}')
			return STMT_CLOSE;
		if (st->n < LEASE_STMT_TOKENS)
			st->tok[st->n++] = t;
	}
}

/* Past the `}` that closes a block whose `{` was just read; false at the end of the file. */
static bool skip_block(struct lexer *lx)
{
	struct token t;
	size_t depth = 1;

	while (depth) {
		lex_next(lx, &t);
		if (t.kind == TOK_EOF)
			return false;
		if (t.kind == TOK_PUNCT && t.text[0] == '{')
			depth++;
		else if (t.kind == TOK_PUNCT && t.text[0] == '}')
			depth--;
	}
	return true;
}

/* The digits of *@s up to @stop ('\0': the end), at most @max; *@s moves past @stop. */
static bool parse_num(const char **s, char stop, uint64_t max, uint64_t *v)
{
	const char *p = *s;
	uint64_t n = 0;

	if (!isdigit((unsigned char)*p))
		return false;
	for (; isdigit((unsigned char)*p); p++) {
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > max)
			return false;
	}
	if (*p != stop)
		return false;
	*s = stop ? p + 1 : p;
	*v = n;
	return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static unsigned days_in_month(uint64_t y, uint64_t m)
{
	static const unsigned days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

/* "YYYY/MM/DD" and "HH:MM:SS", in UTC as dhclient writes them by default. */
static bool parse_utc(const char *date, const char *time, int64_t *t)
{
	uint64_t y, mo, d, h, mi, s;

	if (!parse_num(&date, '/', 9999, &y) || !parse_num(&date, '/', 12, &mo) ||
	    !parse_num(&date, '\0', 31, &d) || !parse_num(&time, ':', 23, &h) ||
	    !parse_num(&time, ':', 59, &mi) || !parse_num(&time, '\0', 60, &s))
		return false;
	if (y < 1970 || mo < 1 || d < 1 || d > days_in_month(y, mo))
		return false;
	*t = days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d) * 86400 +
	     (int64_t)(h * 3600 + mi * 60 + s);
	return true;
}

/*
 * `expire W YYYY/MM/DD HH:MM:SS` (W the weekday, ignored), `expire epoch N` (dhclient.conf's
 * `db-time-format local`) or `expire never`: into *@t, INT64_MAX for never.
 */
static bool dhclient_expiry(const struct stmt *st, int64_t *t)
{
	const char *s;
	uint64_t v;

	if (st->n == 2 && token_is(&st->tok[1], "never")) {
		*t = INT64_MAX;
		return true;
	}
	if (st->n == 3 && token_is(&st->tok[1], "epoch")) {
		s = token_value(&st->tok[2]);
		if (!s || !parse_num(&s, '\0', INT64_MAX / 2, &v))
			return false;
		*t = (int64_t)v;
		return true;
	}
	s = st->n == 4 ? token_value(&st->tok[1]) : NULL;
	if (!s || s[0] < '0' || s[0] > '6' || s[1] || !token_value(&st->tok[2]) ||
	    !token_value(&st->tok[3]))
		return false;
	return parse_utc(st->tok[2].text, st->tok[3].text, t);
}

/* What one `lease { }` block says. */
struct dhclient_lease {
	bool ours;			/* `interface "IFACE";` names the interface */
	bool has_expiry;
	int64_t expiry;
	bool has_routers;
	struct token router;		/* the first of `option routers A, B;` */
	struct addr own;		/* `fixed-address` with `option subnet-mask`'s length */
	bool has_own;
	uint8_t plen;
};

static void dhclient_stmt(const struct stmt *st, const char *ifname, struct dhclient_lease *l)
{
	const char *v;
	const char *why;

	if (st->n == 2 && token_is(&st->tok[0], "interface")) {
		v = token_value(&st->tok[1]);
		l->ours = v && strcmp(v, ifname) == 0;
	} else if (st->n >= 1 && token_is(&st->tok[0], "expire")) {
		l->has_expiry = dhclient_expiry(st, &l->expiry);
	} else if (st->n == 2 && token_is(&st->tok[0], "fixed-address")) {
		v = token_value(&st->tok[1]);
		l->has_own = v && addr_parse(&l->own, v, AF_INET, ADDR_PLEN_FORBIDDEN, &why) == 0;
	} else if (st->n == 3 && token_is(&st->tok[0], "option") &&
		   token_is(&st->tok[1], "subnet-mask")) {
		v = token_value(&st->tok[2]);
		if (!v || addr_parse_plen(&l->plen, v, AF_INET, &why) < 0)
			l->plen = 32;
	} else if (st->n >= 2 && token_is(&st->tok[0], "option") &&
		   token_is(&st->tok[1], "routers")) {
		l->has_routers = true;
		if (st->n >= 3)
			l->router = st->tok[2];
		else
			l->router.kind = TOK_EOF;
	}
}

/* The body of a `lease {` just read; false when the file ends inside it (a torn write). */
static bool dhclient_block(struct lexer *lx, const char *ifname, struct dhclient_lease *l)
{
	struct stmt st;

	memset(l, 0, sizeof(*l));
	l->plen = 32;
	for (;;) {
		switch (read_stmt(lx, &st)) {
		case STMT_EOF:
			return false;
		case STMT_CLOSE:
			return true;
		case STMT_OPEN:		/* no IPv4 lease nests blocks; a newer dhclient might */
			if (!skip_block(lx))
				return false;
			break;
		case STMT_SEMI:
			dhclient_stmt(&st, ifname, l);
			break;
		}
	}
}

static int dhclient_router(const struct dhclient_lease *l, struct addr *gw)
{
	const char *text = token_value(&l->router);
	const char *why;
	struct addr own = l->own;

	if (!l->has_routers)
		return -ENOENT;
	if (!text) {
		log_warn("dhclient lease: option routers: no address");
		return -EINVAL;
	}
	if (addr_parse(gw, text, AF_INET, ADDR_PLEN_FORBIDDEN, &why) < 0) {
		log_warn("dhclient lease: router '%s': %s", text, why);
		return -EINVAL;
	}
	own.plen = l->plen;
	return lease_router_check("dhclient", text, gw, l->has_own ? &own : NULL);
}

static void dhclient_scan(const char *text, size_t len, const char *ifname, time_t now,
			  struct lease_found *f)
{
	struct lexer lx = { text, text + len };
	struct dhclient_lease l, last;
	struct stmt st;
	bool more = true;

	memset(&last, 0, sizeof(last));
	memset(f, 0, sizeof(*f));
	f->r = -ENOENT;
	while (more) {
		switch (read_stmt(&lx, &st)) {
		case STMT_EOF:
			more = false;
			break;
		case STMT_SEMI:		/* `default-duid "...";` */
		case STMT_CLOSE:	/* a stray '}' */
			break;
		case STMT_OPEN:
			if (st.n != 1 || !token_is(&st.tok[0], "lease")) {
				more = skip_block(&lx);	/* `lease6 { }` and the like */
				break;
			}
			more = dhclient_block(&lx, ifname, &l);
			if (more && l.ours && l.has_expiry && l.expiry > (int64_t)now) {
				last = l;
				f->current = true;
			}
			break;
		}
	}
	/* Only the newest current lease counts: an older one's router is history. */
	if (f->current) {
		f->r = dhclient_router(&last, &f->gw);
		if (last.has_own) {
			f->own = last.own;
			f->own.plen = last.plen;
		}
	}
}

int lease_dhclient_parse(const char *text, size_t len, const char *ifname, time_t now,
			 struct addr *gw)
{
	struct lease_found f;

	dhclient_scan(text, len, ifname, now, &f);
	if (f.r == 0)
		*gw = f.gw;
	return f.r;
}

/* ---- dhcpcd: IFACE.lease is the DHCP reply as received ---- */

/*
 * The BOOTP message (RFC 2131 section 2, RFC 1497 for the cookie); dhcpcd writes it as it came
 * off the wire, padding included, and dates it by the file's mtime.
 *
 *	  0  op  htype  hlen  hops
 *	  4  xid
 *	  8  secs  flags
 *	 12  ciaddr
 *	 16  yiaddr		the leased address
 *	 20  siaddr, giaddr, chaddr[16], sname[64], file[128]
 *	236  99 130 83 99	the magic cookie
 *	240  options		code, length, value; 0 pads and 255 ends, both without a length
 */
#define BOOTP_OP 0
#define BOOTP_YIADDR 16
#define BOOTP_COOKIE 236
#define BOOTP_OPTIONS 240
#define BOOTP_REPLY 2
#define DHO_PAD 0
#define DHO_SUBNETMASK 1
#define DHO_ROUTER 3
#define DHO_LEASETIME 51
#define DHO_END 255
#define DHCP_INFINITE 0xffffffffu

struct dhcp_option {
	const unsigned char *val;	/* NULL: absent */
	size_t len;
};

/*
 * The first instance of the options we read. Option 52 (overload: more options in sname and
 * file) is ignored: servers use it when a reply would not fit 576 bytes, which a mask, a
 * router and a lease time always do; and RFC 3396's split options likewise (a router list
 * long enough to be split still starts with its first router).
 */
static int dhcp_options(const unsigned char *msg, size_t len, struct dhcp_option opt[256])
{
	size_t i = BOOTP_OPTIONS;

	memset(opt, 0, 256 * sizeof(*opt));
	while (i < len) {
		unsigned char code = msg[i];
		size_t olen;

		if (code == DHO_END)
			return 0;
		if (code == DHO_PAD) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -EINVAL;
		olen = msg[i + 1];
		if (olen > len - i - 2)
			return -EINVAL;
		if (!opt[code].val) {
			opt[code].val = msg + i + 2;
			opt[code].len = olen;
		}
		i += 2 + olen;
	}
	return 0;	/* no end option: what was there is complete */
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The leased address with the subnet mask's prefix length (32 without a valid mask). */
static struct addr dhcp_own(const unsigned char *msg, const struct dhcp_option *mask)
{
	struct addr own = { .family = AF_INET, .plen = 32 };
	uint32_t m;

	memcpy(own.bytes, msg + BOOTP_YIADDR, 4);
	if (!mask->val || mask->len != 4)
		return own;
	m = get_be32(mask->val);
	if ((~m & (~m + 1)) == 0)	/* contiguous: the inverted mask is 2^k - 1 */
		own.plen = (uint8_t)__builtin_popcount(m);
	return own;
}

static void dhcpcd_scan(const unsigned char *msg, size_t len, time_t written, time_t now,
			struct lease_found *f)
{
	static const unsigned char cookie[4] = { 99, 130, 83, 99 };
	struct dhcp_option opt[256];
	struct addr own;
	char text[ADDR_STRLEN];
	uint32_t lease_time = DHCP_INFINITE;

	memset(f, 0, sizeof(*f));
	f->r = -EINVAL;
	if (len < BOOTP_OPTIONS || msg[BOOTP_OP] != BOOTP_REPLY ||
	    memcmp(msg + BOOTP_COOKIE, cookie, sizeof(cookie)) != 0 ||
	    dhcp_options(msg, len, opt) < 0)
		return;
	/* No address leased: an answer to DHCPINFORM (dhcpcd does not keep those anyway). */
	if (get_be32(msg + BOOTP_YIADDR) == 0) {
		f->r = -ENOENT;
		return;
	}
	/* Without option 51 it is a BOOTP reply: dhcpcd takes that as an infinite lease. */
	if (opt[DHO_LEASETIME].val) {
		if (opt[DHO_LEASETIME].len != 4)
			return;
		lease_time = get_be32(opt[DHO_LEASETIME].val);
	}
	if (lease_time != DHCP_INFINITE && (int64_t)written + lease_time <= (int64_t)now) {
		f->r = -ENOENT;
		return;
	}
	f->current = true;
	f->own = dhcp_own(msg, &opt[DHO_SUBNETMASK]);
	if (!opt[DHO_ROUTER].val) {
		f->r = -ENOENT;
		return;
	}
	if (opt[DHO_ROUTER].len == 0 || opt[DHO_ROUTER].len % 4) {
		log_warn("dhcpcd lease: option 3 (routers) of %zu bytes, not a list of addresses",
			 opt[DHO_ROUTER].len);
		return;
	}
	f->gw = (struct addr){ .family = AF_INET, .plen = 32 };
	memcpy(f->gw.bytes, opt[DHO_ROUTER].val, 4);
	own = f->own;
	f->r = lease_router_check("dhcpcd", addr_format(&f->gw, false, text), &f->gw, &own);
}

int lease_dhcpcd_parse(const unsigned char *msg, size_t len, time_t written, time_t now,
		       struct addr *gw)
{
	struct lease_found f;

	dhcpcd_scan(msg, len, written, now, &f);
	if (f.r == 0)
		*gw = f.gw;
	return f.r;
}

/* ---- the files ---- */

/* One client's file: where it is, when it was written, what it says. */
struct lease_file {
	enum lease_source source;
	char path[LEASE_PATH_MAX];
	struct timespec mtime;
	struct lease_found found;
};

/* Interface names are checked before they get here; a name must still not leave the dir. */
static bool lease_ifname_safe(const char *ifname)
{
	size_t n = strnlen(ifname, IFNAMSIZ);

	return n > 0 && n < IFNAMSIZ && ifname[0] != '.' && !strchr(ifname, '/');
}

/*
 * The whole of a regular file of at most @max bytes, into a buffer of exactly its size (so a
 * parser's read past it is caught by ASan and valgrind); -EFBIG when larger.
 */
static int read_file(const char *path, size_t max, unsigned char **buf, size_t *len,
		     struct timespec *mtime)
{
	unsigned char *b = NULL;
	struct stat st;
	size_t n = 0;
	int fd, r;

	/* O_NONBLOCK: a FIFO put in the lease's place must not hang us. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto out;
	}
	r = -EINVAL;
	if (!S_ISREG(st.st_mode))
		goto out;
	r = -EFBIG;
	if (st.st_size < 0 || (uint64_t)st.st_size > max)
		goto out;
	/* One byte more than allowed: a file grown since fstat() is noticed. */
	r = -ENOMEM;
	b = malloc(max + 1);
	if (!b)
		goto out;
	while (n <= max) {
		ssize_t k = read(fd, b + n, max + 1 - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			r = -errno;
			goto out;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	r = -EFBIG;
	if (n > max)
		goto out;
	*buf = realloc(b, n ? n : 1);
	if (!*buf)
		*buf = b;
	b = NULL;
	*len = n;
	*mtime = st.st_mtim;
	r = 0;
out:
	free(b);
	close(fd);
	return r;
}

/* Read @dir/@name as @lf->source's lease file; true when it holds a current lease. */
static bool lease_file_read(struct lease_file *lf, const char *dir, const char *name,
			    const char *ifname, time_t now)
{
	size_t max = lf->source == LEASE_DHCLIENT ? LEASE_DHCLIENT_MAX : LEASE_DHCPCD_MAX;
	unsigned char *buf = NULL;
	size_t len = 0;
	int n, r;

	memset(&lf->found, 0, sizeof(lf->found));
	n = snprintf(lf->path, sizeof(lf->path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(lf->path))
		return false;
	r = read_file(lf->path, max, &buf, &len, &lf->mtime);
	if (r == -EFBIG)
		log_warn("%s: larger than %zu bytes, not read as a lease", lf->path, max);
	else if (r < 0 && r != -ENOENT)
		log_debug("%s: %s", lf->path, strerror(-r));
	if (r < 0)
		return false;
	if (lf->source == LEASE_DHCLIENT)
		dhclient_scan((const char *)buf, len, ifname, now, &lf->found);
	else
		dhcpcd_scan(buf, len, lf->mtime.tv_sec, now, &lf->found);
	free(buf);
	return lf->found.current;
}

static bool newer(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

enum lease_source lease_ipv4_router(const struct lease_paths *paths, const char *ifname, time_t now,
				    struct addr *gw, struct addr *leased, char *where,
				    size_t where_len)
{
	struct lease_file dhclient = { .source = LEASE_DHCLIENT };
	struct lease_file dhcpcd = { .source = LEASE_DHCPCD };
	const struct lease_file *best = NULL;
	char name[IFNAMSIZ + sizeof("dhclient..leases")];

	if (where_len)
		where[0] = '\0';
	if (!lease_ifname_safe(ifname))
		return LEASE_NONE;
	/* ifupdown runs dhclient with -lf dhclient.IFACE.leases; by hand, the shared file. */
	snprintf(name, sizeof(name), "dhclient.%s.leases", ifname);
	if (lease_file_read(&dhclient, paths->dhclient_dir, name, ifname, now) ||
	    lease_file_read(&dhclient, paths->dhclient_dir, "dhclient.leases", ifname, now))
		best = &dhclient;
	snprintf(name, sizeof(name), "%s.lease", ifname);
	/* Both current (one client replaced the other without a release): the later write wins;
	 * on a tie dhclient, which ifupdown prefers when both are installed. */
	if (lease_file_read(&dhcpcd, paths->dhcpcd_dir, name, ifname, now) &&
	    (!best || newer(&dhcpcd.mtime, &best->mtime)))
		best = &dhcpcd;
	if (!best)
		return LEASE_NONE;
	if (where_len)
		snprintf(where, where_len, "%s", best->path);
	if (best->found.r < 0)
		return LEASE_NONE;
	*gw = best->found.gw;
	if (leased)
		*leased = best->found.own;
	return best->source;
}
