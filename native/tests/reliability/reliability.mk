# tests/reliability/reliability.mk - host-kernel reliability tests (issue 8), included by
# native/Makefile (`-include tests/reliability/reliability.mk`, after its own rules).
#   make test-reliability   root; skips without root/bpffs/BTF, FAILS on a skip when CI=true:
#     LeakSanitizer-clean daemon start/stop with client connect/register/unregister/disconnect
#     cycles (daemon and client both under ASan+UBSan+LSan), daemon SIGKILL + restart under
#     load, and start-up faults (BPF object missing / not BPF / another program / rejected
#     by the verifier, bpffs not mounted, socket directory read-only, a second daemon), the
#     shipped systemd unit, and hostile clients (fd bomb, never reading, request flood);
#     then security.sh (issue 14): the attacks of attacker.c, one numbered step per attack.
#   make test-security      security.sh alone
# Uses native/Makefile's SANOBJ rules for the sanitized daemon and library objects.

REL_CYCLES  ?= 200
REL_THREADS ?= 4

$(SANOBJ)/churn_client: tests/reliability/churn_client.c $(SANOBJ)/libmorpheus.o $(SANOBJ)/proto.o include/morpheus.h
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SANFLAGS) $< $(SANOBJ)/libmorpheus.o $(SANOBJ)/proto.o -o $@ -lpthread

$(SANOBJ)/hostile_client: tests/reliability/hostile_client.c tools/raw_socket.h $(SANOBJ)/libmorpheus.o $(SANOBJ)/proto.o include/morpheus.h
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SANFLAGS) $< $(SANOBJ)/libmorpheus.o $(SANOBJ)/proto.o -o $@ -lpthread

.PHONY: test-reliability
test-reliability: all $(SANOBJ)/morpheusd $(SANOBJ)/churn_client $(SANOBJ)/hostile_client $(SANOBJ)/attacker
	$(Q)BUILD=$(BUILD) ROOT=$(ROOT) CLANG=$(CLANG) MORPHEUSD_SAN=$(SANOBJ)/morpheusd \
		CHURN=$(SANOBJ)/churn_client HOSTILE=$(SANOBJ)/hostile_client CYCLES=$(REL_CYCLES) THREADS=$(REL_THREADS) \
		bash tests/reliability/run.sh; rc=$$?; \
	BUILD=$(BUILD) ROOT=$(ROOT) MORPHEUSD=$(OUT)/morpheusd MORPHEUSD_SAN=$(SANOBJ)/morpheusd \
		ATTACKER=$(SANOBJ)/attacker bash tests/reliability/security.sh && [ $$rc -eq 0 ]

# issue 14: the attacks replayed by tests/reliability/security.sh
$(SANOBJ)/attacker: tests/reliability/attacker.c tools/raw_socket.h $(SANOBJ)/libmorpheus.o $(SANOBJ)/proto.o include/morpheus.h
	$(call msg,CC-SAN,$@)
	$(Q)$(CC) $(CFLAGS) $(SANFLAGS) $< $(SANOBJ)/libmorpheus.o $(SANOBJ)/proto.o -o $@ -lpthread -lbpf

.PHONY: test-security
test-security: all $(SANOBJ)/morpheusd $(SANOBJ)/attacker
	$(Q)BUILD=$(BUILD) ROOT=$(ROOT) MORPHEUSD=$(OUT)/morpheusd MORPHEUSD_SAN=$(SANOBJ)/morpheusd \
		ATTACKER=$(SANOBJ)/attacker bash tests/reliability/security.sh
