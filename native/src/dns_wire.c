/* Pure DNS message parsing: no syscalls, safe on hostile bytes. */
#include "dns_wire.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#define MAX_JUMPS 32

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

/* Decodes the name at *off into out (lower case, no trailing dot) and moves *off past it. */
static int read_name(const uint8_t *buf, size_t len, size_t *off, char *out)
{
	size_t pos = *off, o = 0;
	int jumps = 0;
	bool jumped = false;

	out[0] = 0;
	for (;;) {
		if (pos >= len)
			return -1;
		uint8_t l = buf[pos];

		if ((l & 0xc0) == 0xc0) {
			if (pos + 1 >= len || ++jumps > MAX_JUMPS)
				return -1;
			if (!jumped)
				*off = pos + 2;
			jumped = true;
			pos = (size_t)((l & 0x3f) << 8 | buf[pos + 1]);
			continue;
		}
		if (l & 0xc0)
			return -1; /* reserved label types */
		if (l == 0) {
			if (!jumped)
				*off = pos + 1;
			break;
		}
		if (pos + 1 + l > len || o + l + 2 >= DNS_NAME_MAX)
			return -1;
		if (o)
			out[o++] = '.';
		for (size_t i = 0; i < l; i++) {
			char c = (char)buf[pos + 1 + i];

			out[o++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
		}
		pos += 1 + l;
	}
	out[o] = 0;
	return 0;
}

int dns_parse(const uint8_t *buf, size_t len, struct dns_msg *m)
{
	size_t off = 12;
	unsigned qd, an;

	memset(m, 0, sizeof(*m));
	if (len < 12)
		return -1;
	m->id = get16(buf);
	m->response = buf[2] & 0x80;
	m->rcode = buf[3] & 0x0f;
	qd = get16(buf + 4);
	an = get16(buf + 6);
	if (qd != 1 || ((buf[2] >> 3) & 0x0f) != 0) /* one question, standard query */
		return -1;
	if (read_name(buf, len, &off, m->name) < 0 || off + 4 > len)
		return -1;
	m->qtype = get16(buf + off);
	off += 4;
	if (!m->response)
		return 0;
	for (unsigned i = 0; i < an && m->nanswers < DNS_ANSWERS_MAX; i++) {
		char owner[DNS_NAME_MAX], target[DNS_NAME_MAX], addr[INET6_ADDRSTRLEN];
		unsigned type, rdlen;

		if (read_name(buf, len, &off, owner) < 0 || off + 10 > len)
			break;
		type = get16(buf + off);
		rdlen = get16(buf + off + 8);
		off += 10;
		if (off + rdlen > len)
			break;
		char *ans = m->answers[m->nanswers];

		if (type == 1 && rdlen == 4) {
			inet_ntop(AF_INET, buf + off, addr, sizeof(addr));
			snprintf(ans, DNS_NAME_MAX + 8, "A %s", addr);
			m->nanswers++;
		} else if (type == 28 && rdlen == 16) {
			inet_ntop(AF_INET6, buf + off, addr, sizeof(addr));
			snprintf(ans, DNS_NAME_MAX + 8, "AAAA %s", addr);
			m->nanswers++;
		} else if (type == 5) {
			size_t at = off;

			if (read_name(buf, len, &at, target) == 0) {
				snprintf(ans, DNS_NAME_MAX + 8, "CNAME %s", target);
				m->nanswers++;
			}
		}
		off += rdlen;
	}
	return 0;
}
