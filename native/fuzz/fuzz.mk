# fuzz/fuzz.mk - libFuzzer harnesses beyond the parser, included by native/Makefile
# (`-include fuzz/fuzz.mk`, after its own rules; uses its OUT, CC, CFLAGS, ABI_INC).
#   fuzz_server  the daemon's request handling, events, timer, client drop (fuzz_server.c:
#                server.c and the broker's files linked against stub maps, src/bpf_ops.h)
#   fuzz_client  libmorpheus's handling of replies and passed fds (fuzz_client.c)
#   fuzz_request the pure parsers (native/Makefile's own rule)
# Targets:
#   make fuzz            bounded campaign: FUZZ_SECONDS_EACH (60) per harness, seed FUZZ_SEED,
#                        then native/Makefile's own fuzz_request run; fails on any finding
#   make fuzz-long       on demand: FUZZ_LONG_SECONDS (600) for each of the three harnesses
#   make fuzz-regress    (part of `make test`) replays fuzz/corpus/* and fuzz/regressions/*
#   make fuzz-corpus     regenerate the committed seeds with gen_corpus;
#   make fuzz-corpus-check (part of `make test`) fails when they differ from the generator

FUZZ_OUT          := $(OUT)/fuzz
FUZZ_FLAGS        := $(CFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SECONDS_EACH ?= 60
FUZZ_LONG_SECONDS ?= 600
FUZZ_SEED         ?= 1
FUZZ_SERVER_SRCS  := src/server.c src/regions.c src/clients.c src/slots.c src/config.c src/log.c \
                     src/proto.c src/peer.c src/region_pool.c
FUZZ_SPECS        := fuzz_server:server fuzz_client:client
FUZZ_OPTS         := ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz-campaign fuzz-long fuzz-regress fuzz-corpus fuzz-corpus-check

$(FUZZ_OUT)/fuzz_server: fuzz/fuzz_server.c fuzz/fd_count.h $(FUZZ_SERVER_SRCS) $(wildcard src/*.h) $(wildcard $(ABI_INC)/*.h)
	@mkdir -p $(FUZZ_OUT)
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CC) $(FUZZ_FLAGS) $< $(FUZZ_SERVER_SRCS) -o $@ -lpthread

$(FUZZ_OUT)/fuzz_client: fuzz/fuzz_client.c fuzz/fd_count.h src/libmorpheus.c src/client_channel.h src/proto.c src/proto.h include/morpheus.h $(ABI_INC)/morpheus_abi.h
	@mkdir -p $(FUZZ_OUT)
	$(call msg,FUZZ-CC,$@)
	$(Q)$(CC) $(FUZZ_FLAGS) $< src/libmorpheus.c src/proto.c -o $@ -lpthread

$(FUZZ_OUT)/gen_corpus: fuzz/gen_corpus.c src/proto.c src/proto.h $(ABI_INC)/morpheus_abi.h
	@mkdir -p $(FUZZ_OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< src/proto.c -o $@

FUZZ_BINS := $(FUZZ_OUT)/fuzz_server $(FUZZ_OUT)/fuzz_client

fuzz-campaign: $(FUZZ_BINS)
	$(Q)$(FUZZ_OPTS) bash fuzz/campaign.sh $(FUZZ_OUT) $(FUZZ_SECONDS_EACH) $(FUZZ_SEED) $(FUZZ_SPECS)

# `make fuzz` (native/Makefile's recipe, fuzz_request) runs after this campaign
fuzz: fuzz-campaign

fuzz-long: $(FUZZ_BINS) $(OUT)/fuzz/fuzz_request
	$(Q)$(FUZZ_OPTS) bash fuzz/campaign.sh $(FUZZ_OUT) $(FUZZ_LONG_SECONDS) $(FUZZ_SEED) $(FUZZ_SPECS) fuzz_request:request

# every committed seed and every past finding, once each
fuzz-regress: $(FUZZ_BINS)
	$(Q)for spec in $(FUZZ_SPECS); do h=$${spec%%:*}; d=$${spec#*:}; \
		files=$$(ls fuzz/corpus/$$d/* fuzz/regressions/$$d/* 2>/dev/null); \
		if $(FUZZ_OPTS) $(FUZZ_OUT)/$$h $$files > $(FUZZ_OUT)/$$h.regress.log 2>&1; \
		then echo "$$h: $$(echo $$files | wc -w) seeds and regressions replayed, no finding"; \
		else grep -E 'ERROR|SUMMARY|^    #[0-9]+ .*(fuzz/|src/)' $(FUZZ_OUT)/$$h.regress.log | head -n 20; \
		     echo "$$h: a seed or regression input fails (log $(FUZZ_OUT)/$$h.regress.log)"; exit 1; fi; \
	done

fuzz-corpus: $(FUZZ_OUT)/gen_corpus
	$(Q)$(FUZZ_OUT)/gen_corpus fuzz/corpus

fuzz-corpus-check: $(FUZZ_OUT)/gen_corpus
	$(Q)rm -rf $(FUZZ_OUT)/corpus-check && $(FUZZ_OUT)/gen_corpus $(FUZZ_OUT)/corpus-check && \
		for d in server client; do diff -r $(FUZZ_OUT)/corpus-check/$$d fuzz/corpus/$$d >/dev/null || \
		{ echo "fuzz/corpus/$$d differs from gen_corpus's output: run make -C native fuzz-corpus"; exit 1; }; done

test: fuzz-regress fuzz-corpus-check
