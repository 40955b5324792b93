/* DNS wire format (RFC 1035), parsed defensively: every read bounded, compression loops limited. */
#ifndef IMPRINT_DNS_WIRE_H
#define IMPRINT_DNS_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNS_NAME_MAX 256
#define DNS_ANSWERS_MAX 32

struct dns_msg {
	uint16_t id;
	bool response;
	int rcode;
	char name[DNS_NAME_MAX];
	int qtype;
	int nanswers;
	char answers[DNS_ANSWERS_MAX][DNS_NAME_MAX + 8]; /* "A 10.0.0.1", "CNAME x.y" */
};

/* Returns 0 when a header and first question were parsed, -1 when the bytes are not DNS. */
int dns_parse(const uint8_t *buf, size_t len, struct dns_msg *m);

#endif
