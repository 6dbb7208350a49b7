// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One vvp.conf(5) file through inih. inih splits NAME = VALUE lines and
 * calls config_key() for each; what it does not do the way vvp.conf
 * wants, the line reader in front of it does, so that the result does not
 * depend on how libinih was built (its options are compile-time, or
 * process-wide globals in Debian's build, which a library must not set):
 *  - every problem is reported, with its line (inih tells only the first
 *    error's line): lines that are neither a section nor NAME = VALUE,
 *    and lines longer than inih's buffer, which it would cut in two;
 *  - indentation is dropped, so an indented key is a key and never the
 *    continuation of the previous value (inih's multi-line values);
 *  - comments: a line starting with ';' or '#', and ';' after a blank;
 *  - CR LF line ends, a UTF-8 byte order mark, no final newline;
 *  - sections are read here, so that an empty one counts and a repeated
 *    one is found.
 */
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config-read.h"

void cfg_problem(struct cfg_reader *r, const char *fmt, ...)
{
	char msg[512];
	va_list args;

	if (r->stop)
		return;
	if (r->config->num_problems >= CFG_MAX_PROBLEMS) {
		cfg_stop(r, "more than %d problems", CFG_MAX_PROBLEMS);
		return;
	}
	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	if (config_problem(r->config, r->file, r->line, "%s", msg) < 0)
		r->err = -ENOMEM;
}

void cfg_stop(struct cfg_reader *r, const char *fmt, ...)
{
	char why[128];
	va_list args;

	va_start(args, fmt);
	vsnprintf(why, sizeof(why), fmt, args);
	va_end(args);
	if (config_problem(r->config, r->file, r->line,
			   "%s: the rest of this file is not read", why) < 0)
		r->err = -ENOMEM;
	r->stop = true;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* the line without indentation, comment and trailing blanks */
static size_t clean_line(const char *s, size_t n, const char **start)
{
	size_t i = 0, end;

	while (i < n && blank(s[i]))
		i++;
	*start = s + i;
	if (i == n || s[i] == ';' || s[i] == '#')
		return 0;
	for (end = i + 1; end < n; end++)
		if (s[end] == ';' && blank(s[end - 1]))
			break;
	while (end > i && blank(s[end - 1]))
		end--;
	return end - i;
}

/* the next raw line of the text, without its '\n' */
static bool next_raw(struct cfg_reader *r, const char **s, size_t *n)
{
	const char *nl;

	if (r->pos >= r->len)
		return false;
	*s = r->text + r->pos;
	nl = memchr(*s, '\n', r->len - r->pos);
	*n = nl ? (size_t)(nl - *s) : r->len - r->pos;
	r->pos += *n + (nl ? 1 : 0);
	r->line++;
	if (r->line == 1 && *n >= 3 && memcmp(*s, "\xef\xbb\xbf", 3) == 0) {
		*s += 3;
		*n -= 3;
	}
	return true;
}

/* "serial=..." or an address: the PF a section names */
struct pf_name {
	char address[16];
	char serial[CFG_SERIAL_LEN];
	bool by_serial;
};

static bool parse_pf_name(struct cfg_reader *r, const char *s,
			  struct pf_name *nm)
{
	memset(nm, 0, sizeof(*nm));
	if (strncmp(s, "serial=", 7) == 0) {
		nm->by_serial = true;
		if (cfg_parse_serial(s + 7, nm->serial) == 0)
			return true;
		cfg_problem(r, "'%s' is not a serial number (expected serial= and eight hex pairs, 00-11-22-33-44-55-66-77)",
			    s + 7);
		return false;
	}
	if (vvp_parse_pci_address(s, nm->address, sizeof(nm->address)) == 0)
		return true;
	cfg_problem(r, "'%s' is not a PCI address (expected [DDDD:]BB:DD.F) or serial=SERIAL",
		    s);
	return false;
}

/* the PF a section names; a new one is implicit until its [pf] */
static struct vvp_config_pf *pf_get(struct cfg_reader *r,
				    const struct pf_name *nm)
{
	struct vvp_config *c = r->config;
	struct vvp_config_pf *pf;

	for (unsigned int i = 0; i < c->num_pfs; i++) {
		pf = &c->pfs[i];
		if (nm->by_serial && pf->serial &&
		    !strcmp(pf->serial, nm->serial))
			return pf;
		if (!nm->by_serial && !pf->serial &&
		    !strcmp(pf->address, nm->address))
			return pf;
	}
	if (c->num_pfs >= CFG_MAX_PFS) {
		cfg_stop(r, "more than %d PFs in the config", CFG_MAX_PFS);
		return NULL;
	}
	pf = config_add_pf(c, nm->address, r->file, r->line);
	if (pf)
		pf->implicit = true;
	if (pf && nm->by_serial) {
		pf->serial = strdup(nm->serial);
		if (!pf->serial)
			pf = NULL;
	}
	if (!pf)
		r->err = -ENOMEM;
	return pf;
}

/* a second [pf X] (or [vf X/N]) in one file; across files they merge */
static void seen_here(struct cfg_reader *r, struct cfg_where *seen,
		      const char *kind, const char *name)
{
	if (seen->file == r->file)
		cfg_problem(r, "duplicate section [%s %s] (first at line %u)",
			    kind, name, seen->line);
	seen->file = r->file;
	seen->line = r->line;
}

static void pf_section(struct cfg_reader *r, const char *arg)
{
	struct vvp_config_pf *pf;
	struct pf_name nm;
	char name[48];

	if (!parse_pf_name(r, arg, &nm) || !(pf = pf_get(r, &nm)))
		return;
	if (!pf->seen.file) {
		pf->implicit = false;
		pf->file = r->file;
		pf->line = r->line;
	}
	seen_here(r, &pf->seen, "pf", config_pf_name(pf, name, sizeof(name)));
	r->pf = pf;
}

static unsigned long vf_sections(const struct vvp_config *c)
{
	unsigned long n = 0;

	for (unsigned int i = 0; i < c->num_pfs; i++)
		n += c->pfs[i].num_vf_sections;
	return n;
}

/* PF/INDEX, the index a decimal number below 65535 (TotalVFs is 16 bits) */
static void vf_section(struct cfg_reader *r, char *arg)
{
	char *slash = strrchr(arg, '/'), *end, pf_name[48], name[64];
	struct vvp_config_pf *pf;
	struct vvp_config_vf *vf;
	struct pf_name nm;
	unsigned long index;

	if (!slash) {
		cfg_problem(r, "[vf %s] names no VF (expected [vf PF/INDEX], 0000:01:00.0/1)",
			    arg);
		return;
	}
	*slash = '\0';
	index = strtoul(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end || index > 65534) {
		cfg_problem(r, "'%s' is not a VF index (0 to 65534)", slash + 1);
		return;
	}
	if (!parse_pf_name(r, arg, &nm) || !(pf = pf_get(r, &nm)))
		return;
	vf = config_vf_find(pf, index);
	if (!vf && vf_sections(r->config) >= CFG_MAX_VFS) {
		cfg_stop(r, "more than %d [vf] sections in the config",
			 CFG_MAX_VFS);
		return;
	}
	if (!vf)
		vf = config_pf_add_vf(pf, index, r->file, r->line);
	if (!vf) {
		r->err = -ENOMEM;
		return;
	}
	snprintf(name, sizeof(name), "%s/%lu",
		 config_pf_name(pf, pf_name, sizeof(pf_name)), index);
	seen_here(r, &vf->seen, "vf", name);
	r->pf = pf;
	r->vf = vf;
}

/* "[pf ...]" or "[vf ...]", brackets included, n > 0 */
static void section(struct cfg_reader *r, const char *s, size_t n)
{
	const char *in = s + 1;
	size_t len = n - 2;
	char text[256], *arg;

	r->kind = CFG_SEC_BAD;
	r->pf = NULL;
	r->vf = NULL;
	if (n < 2 || s[n - 1] != ']') {
		cfg_problem(r, "section without its closing ']'");
		return;
	}
	/* blanks inside the brackets do not count either */
	while (len && blank(*in)) {
		in++;
		len--;
	}
	while (len && blank(in[len - 1]))
		len--;
	snprintf(text, sizeof(text), "%.*s", (int)len, in);
	arg = text + strcspn(text, " \t");
	if (*arg)
		*arg++ = '\0';
	arg += strspn(arg, " \t");
	if (strcmp(text, "pf") == 0 && *arg) {
		r->kind = CFG_SEC_PF;
		pf_section(r, arg);
	} else if (strcmp(text, "vf") == 0 && *arg) {
		r->kind = CFG_SEC_VF;
		vf_section(r, arg);
	} else if (strcmp(text, "pf") == 0 || strcmp(text, "vf") == 0) {
		cfg_problem(r, "[%s] names no %s (expected [pf ADDRESS], [pf serial=SERIAL] or [vf PF/INDEX])",
			    text, text[0] == 'p' ? "PF" : "VF");
	} else {
		cfg_problem(r, "unknown section [%.*s] (expected [pf ADDRESS], [pf serial=SERIAL] or [vf PF/INDEX])",
			    (int)(n - 2), s + 1);
	}
}

/*
 * inih's fgets: hands it the clean line, or an empty one for a line
 * handled or refused here. str has room for num bytes.
 */
static char *reader(char *str, int num, void *stream)
{
	struct cfg_reader *r = stream;
	const char *raw, *s, *eq;
	size_t n, len;

	if (r->err || r->stop || !next_raw(r, &raw, &n))
		return NULL;
	len = clean_line(raw, n, &s);
	str[0] = '\0';
	if (len + 2 > (size_t)num) {
		cfg_problem(r, "line too long (%zu characters; at most %d)",
			    len, num - 2);
	} else if (len > 0 && s[0] == '[') {
		section(r, s, len);
	} else if (len > 0 && (!(eq = memchr(s, '=', len)) ||
			       memchr(s, ':', eq - s))) {
		/* inih would take "name: value" too; vvp.conf does not */
		cfg_problem(r, "'%.*s' is neither [SECTION] nor NAME = VALUE",
			    len > 60 ? 60 : (int)len, s);
	} else if (len > 0) {
		memcpy(str, s, len);
		str[len] = '\0';
	}
	strcat(str, "\n");
	return str;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct cfg_reader *r = user;

	config_key(r, name, value);
	return r->err ? 0 : 1;
}

/* the first control byte that is not a blank or a line end, or NULL */
static const char *binary_byte(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = text[i];

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f)
			return text + i;
	}
	return NULL;
}

int config_parse_text(struct vvp_config *config, const char *file,
		      const char *text, size_t len)
{
	struct cfg_reader r = {
		.config = config, .file = file, .text = text, .len = len,
	};
	const char *bad = binary_byte(text, len);
	int rc;

	if (bad) {
		for (const char *p = text; p <= bad; p++)
			r.line += p == text || p[-1] == '\n';
		cfg_problem(&r, "binary data (byte 0x%02x), not a config file",
			    (unsigned char)*bad);
		return r.err;
	}
	rc = ini_parse_stream(reader, &r, handler, &r);
	if (r.err)
		return r.err;
	if (rc == -2)
		return -ENOMEM;
	/* every line inih sees was checked first: this is a bug here */
	if (rc > 0 && config_problem(config, file, rc,
				     "cannot parse this line (libinih refused it)") < 0)
		return -ENOMEM;
	return 0;
}
