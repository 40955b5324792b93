/* Unit test and fuzz for the DNS wire parser (src/dns_wire.c): known messages decode exactly; hostile
 * ones (pointer loops, lengths past the end, random mutations) are rejected or bounded, never crash.
 * Built with sanitizers by `make -C native check`. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/dns_wire.h"

static const unsigned char answer[] = {
	0x12, 0x34, 0x81, 0x80, 0, 1, 0, 3, 0, 0, 0, 0,
	3, 'W', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
	/* CNAME www.example.com -> web.example.com (compressed) */
	0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'w', 'e', 'b', 0xc0, 16,
	/* A web.example.com 10.1.2.3 */
	0xc0, 45, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 1, 2, 3,
	/* AAAA fd00::3 */
	0xc0, 45, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3,
};

static const unsigned char query[] = {
	0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 6, 's', 'e', 'r', 'v', 'e', 'r', 0, 0, 28, 0, 1,
};

static const unsigned char loop[] = {
	0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1,
};

int main(void)
{
	struct dns_msg m;
	unsigned char buf[600] = { 0 };

	assert(dns_parse(answer, sizeof(answer), &m) == 0);
	assert(m.response && m.id == 0x1234 && m.rcode == 0 && m.qtype == 1);
	assert(strcmp(m.name, "www.example.com") == 0);
	assert(m.nanswers == 3);
	assert(strcmp(m.answers[0], "CNAME web.example.com") == 0);
	assert(strcmp(m.answers[1], "A 10.1.2.3") == 0);
	assert(strcmp(m.answers[2], "AAAA fd00::3") == 0);

	assert(dns_parse(query, sizeof(query), &m) == 0);
	assert(!m.response && m.id == 0xabcd && m.qtype == 28 && strcmp(m.name, "server") == 0);

	/* a question name that points at itself */
	assert(dns_parse(loop, sizeof(loop), &m) == -1);
	/* every truncation of a valid message is handled */
	for (size_t n = 0; n < sizeof(answer); n++)
		(void)dns_parse(answer, n, &m);
	assert(dns_parse(answer, 11, &m) == -1);

	/* random mutations of a valid message */
	srand(1);
	for (int i = 0; i < 200000; i++) {
		size_t n = sizeof(answer);

		memcpy(buf, answer, n);
		for (int k = rand() % 8; k >= 0; k--)
			buf[rand() % n] = (unsigned char)rand();
		if (rand() % 4 == 0)
			n = (size_t)rand() % sizeof(buf);
		(void)dns_parse(buf, n, &m);
		assert(strlen(m.name) < DNS_NAME_MAX && m.nanswers <= DNS_ANSWERS_MAX);
	}
	puts("dns_wire: ok");
	return 0;
}
