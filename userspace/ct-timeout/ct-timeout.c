// SPDX-License-Identifier: GPL-2.0
/*
 * ct-timeout: manage connection tracking timeout policies
 * (nfnetlink_cttimeout) used by `-j CT --timeout NAME`.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "nl.h"
#include "proto.h"

#define CTT_VERSION "0.1"

enum { EXIT_ERR = 1, EXIT_USAGE = 2 };

static int opt_json, opt_replace, opt_force;
static struct mnl_socket *nl;

static void __attribute__((noreturn, format(printf, 2, 3)))
die(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("ct-timeout: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void usage(FILE *f)
{
	fputs("Usage: ct-timeout [--json] COMMAND ...\n"
	      "  add [--replace] NAME inet|inet6 PROTO STATE SECONDS [STATE SECONDS...]\n"
	      "  get [NAME]\n"
	      "  list\n"
	      "  delete [--force] NAME\n"
	      "  default-set inet|inet6 PROTO STATE SECONDS [STATE SECONDS...]\n"
	      "  default-get inet|inet6 PROTO\n"
	      "PROTO: tcp udp udplite icmp icmpv6 sctp dccp gre generic\n"
	      "See ct-timeout(8).\n", f);
}

static const char *no_support =
	"kernel without cttimeout support (nfnetlink_cttimeout is not available)";

static void connect_kernel(void)
{
	nl = ctt_open();
	if (!nl) {
		if (errno == EPROTONOSUPPORT || errno == EAFNOSUPPORT)
			die(EXIT_ERR, "%s", no_support);
		die(EXIT_ERR, "cannot open a netfilter netlink socket: %s",
		    strerror(errno));
	}
}

/*
 * nfnetlink answers EINVAL for a subsystem it does not have; a dump request
 * cannot fail with EINVAL otherwise, so it tells the two apart.
 */
static int cttimeout_missing(void)
{
	return ctt_dump(nl, NULL) == -EINVAL;
}

/* Errors every command can get from the kernel. */
static void __attribute__((noreturn)) kernel_error(int err, const char *what)
{
	if (err == -EPERM)
		die(EXIT_ERR, "%s: operation not permitted (needs CAP_NET_ADMIN)",
		    what);
	if (err == -EINVAL && cttimeout_missing())
		die(EXIT_ERR, "%s", no_support);
	die(EXIT_ERR, "%s: %s", what, strerror(-err));
}

static void check_name(const char *name)
{
	if (!name[0])
		die(EXIT_ERR, "policy name is empty");
	if (strlen(name) > CTNL_TIMEOUT_NAME_MAX - 1)
		die(EXIT_ERR, "policy name \"%s\" is too long (%zu characters, the kernel allows %d)",
		    name, strlen(name), CTNL_TIMEOUT_NAME_MAX - 1);
}

static int parse_family(const char *s)
{
	int f = ctt_family_by_name(s);

	if (f < 0)
		die(EXIT_ERR, "unknown family \"%s\" (use inet or inet6)", s);
	return f;
}

static const struct ctt_proto *parse_proto(const char *s, int family)
{
	const struct ctt_proto *p = ctt_proto_by_name(s);

	if (!p)
		die(EXIT_ERR, "unknown protocol \"%s\" (use %s)", s,
		    ctt_proto_names());
	if (p->family && p->family != family)
		die(EXIT_ERR, "protocol %s does not exist in family %s (use %s)",
		    p->name, ctt_family_name(family),
		    ctt_family_name(p->family));
	return p;
}

static uint32_t parse_value(const char *s, const char *state)
{
	const char *c = s;
	unsigned long long v;
	char *end;

	if (*c == '-' || *c == '+')
		c++;
	if (!*c)
		die(EXIT_ERR, "value \"%s\" for %s is not a number of seconds",
		    s, state);
	for (; *c; c++)
		if (!isdigit((unsigned char)*c))
			die(EXIT_ERR, "value \"%s\" for %s is not a number of seconds",
			    s, state);
	if (s[0] == '-')
		die(EXIT_ERR, "value %s for %s is out of range (0-%lu seconds)",
		    s, state, CTT_VALUE_MAX);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE || v > CTT_VALUE_MAX)
		die(EXIT_ERR, "value %s for %s is out of range (0-%lu seconds)",
		    s, state, CTT_VALUE_MAX);
	return (uint32_t)v;
}

/* STATE SECONDS pairs from argv into p->set/p->value. */
static void parse_states(struct ctt_policy *p, const struct ctt_proto *proto,
			 int argc, char **argv)
{
	const struct ctt_state *st;
	int i;

	if (argc == 0)
		die(EXIT_ERR, "no STATE SECONDS given for %s", proto->name);
	for (i = 0; i < argc; i += 2) {
		st = ctt_state_by_name(proto, argv[i]);
		if (!st)
			die(EXIT_ERR, "unknown state \"%s\" for %s (use %s)",
			    argv[i], proto->name, ctt_state_names(proto));
		if (i + 1 >= argc)
			die(EXIT_ERR, "state %s has no value", st->name);
		if (p->set[st->attr])
			die(EXIT_ERR, "state %s given twice", st->name);
		p->set[st->attr] = 1;
		p->value[st->attr] = parse_value(argv[i + 1], st->name);
	}
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *l4name(uint8_t l4num, char *buf, size_t len)
{
	const struct ctt_proto *p = ctt_proto_by_num(l4num);

	if (p)
		return p->name;
	snprintf(buf, len, "%u", l4num);
	return buf;
}

static void print_policy(const struct ctt_policy *p, int is_default)
{
	const struct ctt_proto *proto = ctt_proto_by_num(p->l4num);
	char buf[8];
	unsigned int i;
	const char *sep = "";

	if (opt_json) {
		putchar('{');
		if (!is_default) {
			printf("\"name\":");
			json_str(p->name);
			putchar(',');
		}
		printf("\"l3proto\":\"%s\",\"l4proto\":\"%s\",",
		       ctt_family_name(p->family),
		       l4name(p->l4num, buf, sizeof(buf)));
		if (p->has_use)
			printf("\"use\":%u,", p->use);
		printf("\"timeouts\":{");
		for (i = 0; proto && i < proto->nstates; i++) {
			if (!p->set[proto->states[i].attr])
				continue;
			printf("%s\"%s\":%u", sep, proto->states[i].name,
			       p->value[proto->states[i].attr]);
			sep = ",";
		}
		printf("}}");
		return;
	}
	if (is_default)
		printf("default %s %s\n", ctt_family_name(p->family),
		       l4name(p->l4num, buf, sizeof(buf)));
	else
		printf("policy %s\n", p->name);
	printf("\tl3proto %s\n", ctt_family_name(p->family));
	printf("\tl4proto %s\n", l4name(p->l4num, buf, sizeof(buf)));
	if (p->has_use)
		printf("\tuse %u\n", p->use);
	for (i = 0; proto && i < proto->nstates; i++)
		if (p->set[proto->states[i].attr])
			printf("\t%s %u\n", proto->states[i].name,
			       p->value[proto->states[i].attr]);
}

static void print_all(const struct ctt_list *l, int one_line)
{
	char buf[8];
	unsigned int i;

	if (opt_json) {
		putchar('[');
		for (i = 0; i < l->n; i++) {
			if (i)
				putchar(',');
			print_policy(&l->v[i], 0);
		}
		printf("]\n");
		return;
	}
	for (i = 0; i < l->n; i++) {
		if (one_line) {
			printf("%s %s %s use %u\n", l->v[i].name,
			       ctt_family_name(l->v[i].family),
			       l4name(l->v[i].l4num, buf, sizeof(buf)),
			       l->v[i].use);
			continue;
		}
		if (i)
			putchar('\n');
		print_policy(&l->v[i], 0);
	}
}

/* The policy NAME, or NULL when the kernel has none of that name. */
static struct ctt_policy *lookup(const char *name, struct ctt_list *l)
{
	int err = ctt_get(nl, name, l);

	if (err == -ENOENT)
		return NULL;
	if (err)
		kernel_error(err, "cannot read the policy");
	if (l->n != 1)
		die(EXIT_ERR, "unexpected reply reading policy %s", name);
	return &l->v[0];
}

static int cmd_add(int argc, char **argv)
{
	struct ctt_list cur = { NULL, 0 };
	const struct ctt_proto *proto;
	struct ctt_policy p, *old;
	uint16_t a;
	int err;

	if (argc < 3)
		die(EXIT_USAGE, "add: usage: add [--replace] NAME inet|inet6 PROTO STATE SECONDS [STATE SECONDS...]");
	memset(&p, 0, sizeof(p));
	check_name(argv[0]);
	strcpy(p.name, argv[0]);
	p.family = parse_family(argv[1]);
	proto = parse_proto(argv[2], p.family);
	p.l4num = proto->l4num;
	parse_states(&p, proto, argc - 3, argv + 3);

	connect_kernel();
	old = lookup(p.name, &cur);
	if (old && !opt_replace)
		die(EXIT_ERR, "policy %s already exists (use --replace to update it)",
		    p.name);
	if (old) {
		if (old->family != p.family || old->l4num != p.l4num) {
			char b[8];

			die(EXIT_ERR, "policy %s is %s %s; --replace cannot make it %s %s",
			    p.name, ctt_family_name(old->family),
			    l4name(old->l4num, b, sizeof(b)),
			    ctt_family_name(p.family), proto->name);
		}
		/* states not named keep their current values */
		for (a = 1; a <= CTT_ATTR_MAX; a++) {
			if (p.set[a] || !old->set[a] ||
			    !ctt_state_by_attr(proto, a))
				continue;
			p.set[a] = 1;
			p.value[a] = old->value[a];
		}
	}
	free(cur.v);
	err = ctt_new(nl, &p, !!old);
	if (err == -EEXIST)
		die(EXIT_ERR, "policy %s already exists (use --replace to update it)",
		    p.name);
	if (err == -EOPNOTSUPP)
		die(EXIT_ERR, "the kernel does not track protocol %s",
		    proto->name);
	if (err)
		kernel_error(err, "cannot add the policy");
	return 0;
}

static int cmd_get(int argc, char **argv)
{
	struct ctt_list l = { NULL, 0 };
	int err;

	if (argc > 1)
		die(EXIT_USAGE, "get: usage: get [NAME]");
	if (argc == 1)
		check_name(argv[0]);
	connect_kernel();
	if (argc == 0) {
		err = ctt_dump(nl, &l);
		if (err)
			kernel_error(err, "cannot list the policies");
		print_all(&l, 0);
	} else {
		if (!lookup(argv[0], &l))
			die(EXIT_ERR, "policy %s not found", argv[0]);
		print_policy(&l.v[0], 0);
		if (opt_json)
			putchar('\n');
	}
	free(l.v);
	return 0;
}

static int cmd_list(int argc, char **argv)
{
	struct ctt_list l = { NULL, 0 };
	int err;

	(void)argv;
	if (argc)
		die(EXIT_USAGE, "list: takes no arguments");
	connect_kernel();
	err = ctt_dump(nl, &l);
	if (err)
		kernel_error(err, "cannot list the policies");
	print_all(&l, 1);
	free(l.v);
	return 0;
}

/*
 * CTA_TIMEOUT_USE counts the policy's own reference, two for every rule
 * (an xt_CT template holds the lookup reference and the one of its timeout
 * extension) and one for every live flow that was given the policy.
 */
static unsigned int rules_of(uint32_t use)
{
	unsigned int n = (use - 1) / 2;

	return n ? n : 1;
}

static int cmd_delete(int argc, char **argv)
{
	struct ctt_list l = { NULL, 0 };
	struct ctt_policy *p;
	int err;

	if (argc != 1)
		die(EXIT_USAGE, "delete: usage: delete [--force] NAME");
	check_name(argv[0]);
	connect_kernel();
	p = lookup(argv[0], &l);
	if (!p)
		die(EXIT_ERR, "policy %s not found", argv[0]);
	/*
	 * Linux 6.1 unlinks a policy even while rules use it: they keep the
	 * orphaned copy and the name is gone. Refuse that unless forced.
	 */
	if (p->has_use && p->use > 1 && !opt_force)
		die(EXIT_ERR, "policy %s is in use by %u rules; remove them first",
		    p->name, rules_of(p->use));
	free(l.v);
	err = ctt_del(nl, argv[0]);
	if (err == -ENOENT)
		die(EXIT_ERR, "policy %s not found", argv[0]);
	if (err == -EBUSY)
		die(EXIT_ERR, "policy %s is in use; remove the rules using it first",
		    argv[0]);
	if (err)
		kernel_error(err, "cannot delete the policy");
	return 0;
}

static int cmd_default_set(int argc, char **argv)
{
	const struct ctt_proto *proto;
	struct ctt_policy p;
	int err;

	if (argc < 2)
		die(EXIT_USAGE, "default-set: usage: default-set inet|inet6 PROTO STATE SECONDS [STATE SECONDS...]");
	memset(&p, 0, sizeof(p));
	p.family = parse_family(argv[0]);
	proto = parse_proto(argv[1], p.family);
	p.l4num = proto->l4num;
	parse_states(&p, proto, argc - 2, argv + 2);
	connect_kernel();
	err = ctt_default_set(nl, &p);
	if (err == -EOPNOTSUPP)
		die(EXIT_ERR, "the kernel does not track protocol %s",
		    proto->name);
	if (err)
		kernel_error(err, "cannot set the defaults");
	return 0;
}

static int cmd_default_get(int argc, char **argv)
{
	struct ctt_list l = { NULL, 0 };
	const struct ctt_proto *proto;
	int family, err;

	if (argc != 2)
		die(EXIT_USAGE, "default-get: usage: default-get inet|inet6 PROTO");
	family = parse_family(argv[0]);
	proto = parse_proto(argv[1], family);
	connect_kernel();
	err = ctt_default_get(nl, family, proto->l4num, &l);
	if (err == -EOPNOTSUPP)
		die(EXIT_ERR, "the kernel does not track protocol %s",
		    proto->name);
	if (err)
		kernel_error(err, "cannot read the defaults");
	if (l.n != 1)
		die(EXIT_ERR, "unexpected reply reading the %s defaults",
		    proto->name);
	l.v[0].family = family;
	print_policy(&l.v[0], 1);
	if (opt_json)
		putchar('\n');
	free(l.v);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "add", cmd_add },
	{ "get", cmd_get },
	{ "list", cmd_list },
	{ "delete", cmd_delete },
	{ "default-set", cmd_default_set },
	{ "default-get", cmd_default_get },
};

int main(int argc, char **argv)
{
	char **args = calloc(argc + 1, sizeof(*args));
	const char *cmd = NULL;
	int i, n = 0, ret = EXIT_USAGE;
	unsigned int c;

	if (!args)
		die(EXIT_ERR, "out of memory");
	/* options may come before or after the command */
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
			opt_json = 1;
		else if (strcmp(argv[i], "--replace") == 0)
			opt_replace = 1;
		else if (strcmp(argv[i], "--force") == 0 ||
			 strcmp(argv[i], "-f") == 0)
			opt_force = 1;
		else if (strcmp(argv[i], "--help") == 0 ||
			 strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("ct-timeout %s\n", CTT_VERSION);
			return 0;
		} else if (strncmp(argv[i], "--", 2) == 0)
			die(EXIT_USAGE, "unknown option \"%s\"", argv[i]);
		else if (!cmd)
			cmd = argv[i];
		else
			args[n++] = argv[i];
	}
	if (!cmd) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (opt_replace && strcmp(cmd, "add") != 0)
		die(EXIT_USAGE, "option --replace only goes with add");
	if (opt_force && strcmp(cmd, "delete") != 0)
		die(EXIT_USAGE, "option --force only goes with delete");
	for (c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
		if (strcmp(cmds[c].name, cmd) == 0) {
			ret = cmds[c].fn(n, args);
			break;
		}
	}
	if (c == sizeof(cmds) / sizeof(cmds[0]))
		die(EXIT_USAGE, "unknown command \"%s\" (use add, get, list, delete, default-set or default-get)",
		    cmd);
	if (nl)
		ctt_close(nl);
	free(args);
	if (fflush(stdout) != 0)
		die(EXIT_ERR, "cannot write the output");
	return ret;
}
