// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The domain XML libvirt gives its qemu hook on stdin, read with libxml2
 * as an untrusted document: bounded in size, no network, entities left
 * as they are, no DTD, no XInclude. libvirt never writes a DOCTYPE, so a
 * document with one is refused as soon as the parser meets it, before
 * any entity is declared (no billion laughs). What is kept: the PCI
 * addresses of <hostdev mode='subsystem' type='pci'> and of
 * <interface type='hostdev'>, with the interface's MAC and MTU.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <libvvp.h>

#include "hook.h"

int hook_read_all(int fd, size_t max, char **out, size_t *len)
{
	size_t n = 0, cap = 64 * 1024;
	char *buf = malloc(cap + 1), *grown;
	ssize_t r;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			/* one byte past max tells "more" from "exactly max" */
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			grown = n < cap ? realloc(buf, cap + 1) : NULL;
			if (!grown) {
				free(buf);
				return n > max ? -EFBIG : -ENOMEM;
			}
			buf = grown;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += r;
		if (n > max) {
			free(buf);
			return -EFBIG;
		}
	}
	if (r < 0) {
		r = -errno;
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* what the parser met: a DOCTYPE, and its first error (it may go on) */
struct read_state {
	bool doctype;
	int line;
	char error[256];
};

/* libxml2 calls this at "<!DOCTYPE": stop before its internal subset */
static void refuse_doctype(void *user, const xmlChar *name,
			   const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = user;
	struct read_state *st = ctxt->_private;

	st->doctype = true;
	st->line = ctxt->input ? ctxt->input->line : 0;
	xmlStopParser(ctxt);
}

static void keep_first_error(void *user, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = user;
	struct read_state *st = ctxt->_private;

	if (st->error[0] || !e || e->level < XML_ERR_ERROR)
		return;
	st->line = e->line;
	snprintf(st->error, sizeof(st->error), "%s",
		 e->message ? e->message : "not well-formed XML");
	/* some go on to a second line ("...encoding !\nBytes: 0x9D"): one */
	for (char *nl = strchr(st->error, '\n'); nl; nl = strchr(nl, '\n'))
		*nl = ' ';
}

static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* whether attribute name is value (or is absent, when that matches) */
static bool attr_is(const xmlNode *n, const char *name, const char *value,
		    bool absent_matches)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	bool match = v ? xmlStrcmp(v, (const xmlChar *)value) == 0 :
			 absent_matches;

	xmlFree(v);
	return match;
}

/* as libvirt reads them: strtoul base 0 (0x.. hex, 0.. octal, decimal) */
static bool attr_uint(const xmlNode *n, const char *name, unsigned long max,
		      unsigned long *val)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *end;
	bool ok;

	*val = 0;
	if (!v)
		return true;
	errno = 0;
	*val = strtoul((const char *)v, &end, 0);
	ok = *v && *v != '-' && !*end && !errno && *val <= max;
	xmlFree(v);
	return ok;
}

/* "line N: <why>" into err: -EINVAL */
static int __attribute__((format(printf, 4, 5)))
fail(char *err, size_t len, const xmlNode *n, const char *fmt, ...)
{
	char msg[256];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	snprintf(err, len, "line %ld: %s", n ? xmlGetLineNo(n) : 0L, msg);
	return -EINVAL;
}

static int parse_address(const xmlNode *a, struct hook_dev *dev, char *err,
			 size_t len)
{
	unsigned long dom, bus, slot, fn;

	if (!attr_uint(a, "domain", 0xffff, &dom) ||
	    !attr_uint(a, "bus", 0xff, &bus) ||
	    !attr_uint(a, "slot", 0x1f, &slot) ||
	    !attr_uint(a, "function", 7, &fn))
		return fail(err, len, a, "<address> has a PCI address out of range (domain 0-0xffff, bus 0-0xff, slot 0-0x1f, function 0-7)");
	snprintf(dev->address, sizeof(dev->address), "%04lx:%02lx:%02lx.%lx",
		 dom, bus, slot, fn);
	return 0;
}

/* <mac address=...> and <mtu size=...> of an <interface> */
static int parse_net(const xmlNode *iface, struct hook_dev *dev, char *err,
		     size_t len)
{
	const xmlNode *mac = child(iface, "mac"), *mtu = child(iface, "mtu");
	unsigned long size;

	if (mac) {
		xmlChar *v = xmlGetNoNsProp(mac, (const xmlChar *)"address");
		int rc = v ? vvp_parse_mac((const char *)v, dev->mac) : -EINVAL;

		xmlFree(v);
		if (rc < 0)
			return fail(err, len, mac, "<mac> has no MAC address in address='...'");
		dev->has_mac = true;
	}
	if (mtu) {
		if (!attr_uint(mtu, "size", 65535, &size) || size == 0)
			return fail(err, len, mtu, "<mtu> size is not a number from 1 to 65535");
		dev->mtu = size;
	}
	return 0;
}

static int add_dev(struct hook_domain *d, const xmlNode *n, bool iface,
		   const xmlNode *addr, char *err, size_t len)
{
	struct hook_dev *devs, *dev;
	int rc;

	devs = realloc(d->devs, (d->num_devs + 1) * sizeof(*devs));
	if (!devs)
		return -ENOMEM;
	d->devs = devs;
	dev = &devs[d->num_devs];
	memset(dev, 0, sizeof(*dev));
	dev->interface = iface;
	dev->mtu = -1;
	dev->line = xmlGetLineNo(n);
	dev->managed = attr_is(n, "managed", "yes", false);
	rc = parse_address(addr, dev, err, len);
	if (rc == 0 && iface)
		rc = parse_net(n, dev, err, len);
	if (rc == 0)
		d->num_devs++;
	return rc;
}

/* a PCI device of <devices>: its <source><address>, or NULL */
static const xmlNode *pci_source(const xmlNode *n, bool *iface)
{
	const xmlNode *addr;

	*iface = is(n, "interface");
	if (*iface && !attr_is(n, "type", "hostdev", false))
		return NULL;
	if (!*iface && !(is(n, "hostdev") &&
			 attr_is(n, "mode", "subsystem", true) &&
			 attr_is(n, "type", "pci", false)))
		return NULL;
	addr = child(child(n, "source"), "address");
	if (addr && *iface && !attr_is(addr, "type", "pci", true))
		return NULL;	/* a USB or other hostdev interface */
	return addr;
}

static int walk(const xmlNode *root, struct hook_domain *d, char *err,
		size_t len)
{
	int rc = 0;

	if (!is(root, "domain"))
		return fail(err, len, root, "the root element is <%s>, not <domain>",
			    root ? (const char *)root->name : "");
	for (const xmlNode *devs = root->children; devs; devs = devs->next) {
		if (!is(devs, "devices"))
			continue;
		for (const xmlNode *n = devs->children; rc == 0 && n; n = n->next) {
			const xmlNode *addr;
			bool iface;

			addr = pci_source(n, &iface);
			if (addr)
				rc = add_dev(d, n, iface, addr, err, len);
		}
	}
	return rc;
}

static xmlDoc *read_doc(const char *buf, size_t len, char *err, size_t errlen)
{
	struct read_state st = { 0 };
	xmlParserCtxtPtr ctxt;
	xmlDoc *doc;

	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return NULL;
	}
	ctxt->_private = &st;
	ctxt->sax->internalSubset = refuse_doctype;
	ctxt->sax->serror = keep_first_error;
	/* not NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE: their defaults */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, "domain.xml", NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (st.doctype)
		snprintf(err, errlen, "line %d: it has a <!DOCTYPE>, which libvirt never writes (entities and DTDs are not read)",
			 st.line);
	else if (st.error[0] || !doc)
		snprintf(err, errlen, "line %d: %s", st.line,
			 st.error[0] ? st.error : "not well-formed XML");
	if (st.doctype || st.error[0]) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

int hook_xml_parse(const char *buf, size_t len, struct hook_domain *d,
		   char *err, size_t errlen)
{
	xmlDoc *doc;
	size_t n;
	int rc;

	memset(d, 0, sizeof(*d));
	if (errlen)
		err[0] = '\0';
	if (len > HOOK_XML_MAX)
		return fail(err, errlen, NULL, "the domain XML is over %u MiB",
			    HOOK_XML_MAX >> 20);
	doc = read_doc(buf, len, err, errlen);
	rc = doc ? walk(xmlDocGetRootElement(doc), d, err, errlen) : -EINVAL;
	xmlFreeDoc(doc);
	if (rc < 0)
		hook_domain_free(d);
	/* a libxml2 message ends in a newline: one line on stderr */
	n = errlen ? strlen(err) : 0;
	while (n && (err[n - 1] == '\n' || err[n - 1] == ' '))
		err[--n] = '\0';
	return rc;
}

void hook_domain_free(struct hook_domain *d)
{
	free(d->devs);
	d->devs = NULL;
	d->num_devs = 0;
}
