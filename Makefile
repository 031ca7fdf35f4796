# Morpheus top-level build. Two commands matter on a fresh machine:
#   make demo   - the throughput comparison on the embedded default hint source (no root)
#   make test   - every test the project has: Java, native (sanitizers), host-kernel BPF, sched_ext VM
# Everything the build needs is installed by scripts/install-deps.sh (idempotent).
# Quiet by default; V=1 shows the commands.

ROOT   := $(abspath .)
BUILD  := $(ROOT)/build
REPORT := $(ROOT)/target/morpheus-report
MVN    ?= mvn
MVNFLAGS ?= -B -q -Dstyle.color=never
export ROOT BUILD REPORT

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all deps native java test test-native test-java test-java25 test-java-scala3 test-user-project test-kernel test-reliability vm-test demo kernel-value bench soak fuzz clean

all: native java

deps:
	$(Q)bash scripts/install-deps.sh

# BPF objects, morpheusd, libmorpheus and the C tools, into build/.
native: deps
	$(Q)$(MAKE) --no-print-directory -C native BUILD=$(BUILD)

# The runnable jars only: the javadoc and sources jars are for publishing (built by test-java's
# verify and by test-user-project), and would add to make demo's time.
java:
	$(Q)$(MVN) $(MVNFLAGS) -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package

test: deps native test-native test-java test-java25 test-java-scala3 test-user-project test-kernel test-reliability vm-test
	@echo "make test: all suites passed"

test-native: native
	$(Q)$(MAKE) --no-print-directory -C native BUILD=$(BUILD) test

test-java: native
	$(Q)$(MVN) $(MVNFLAGS) verify

# The project targets release 17 and must also run on the machine's newest JDK. morpheus-api's
# jar is multi-release: its JDK 22 classes (FFM) are compiled by this JDK's javac (the
# morpheus-api pom's comment says how and why), and test-java25 runs its tests on that jar,
# JdkWarningsTest among them (a fresh JDK 25 JVM on the jar must print no WARNING line).
JDK25 ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk-*))
ifneq ($(JDK25),)
MVNFLAGS += -Dmorpheus.java22.home=$(JDK25)
endif
test-java25: native
ifneq ($(JDK25),)
	$(Q)JAVA_HOME=$(JDK25) $(MVN) $(MVNFLAGS) -pl morpheus-api,pekko-dispatcher -am verify
else ifeq ($(CI),true)
	@echo "test-java25: no JDK 25 under /usr/lib/jvm (set JDK25=...): CI=true does not skip" >&2; exit 1
else
	@echo "test-java25: no JDK 25 under /usr/lib/jvm; skipped (CI=true fails here)"
endif

# The dispatcher suite again, on the Scala 3 artifacts (pekko-dispatcher-scala3 builds the same
# sources against pekko-actor_3 etc.); morpheus-api is built in the same reactor, its tests not
# run again. Where the Maven registry serves no Pekko _3 artifacts the suite is skipped, with a
# message, and the module's wiring (the shared sources, resources and tests) is still compiled,
# against the 2.13 artifacts.
test-java-scala3: native
	$(Q)if MVN=$(MVN) bash scripts/scala3-available.sh; then \
		$(MVN) $(MVNFLAGS) -Pscala3 -pl pekko-dispatcher-scala3 -am verify \
			-Dtest='dev/morpheus/pekko/**/*Test' -Dsurefire.failIfNoSpecifiedTests=false; \
	else \
		echo "test-java-scala3: skipped: org.apache.pekko:pekko-actor_3 is not served by this machine's Maven registry"; \
		$(MVN) $(MVNFLAGS) -Pscala3 -pl pekko-dispatcher-scala3 -am -Dscala.binary.version=2.13 test-compile; \
	fi

# A user's own project (samples/user-project, no parent) built offline against the artifacts
# published to a throw-away repository, for Scala 2.13 and Scala 3: scripts/user-project.sh.
test-user-project:
	$(Q)MVN=$(MVN) BUILD=$(BUILD) bash scripts/user-project.sh

test-kernel: native
	$(Q)$(MAKE) --no-print-directory -C native BUILD=$(BUILD) test-kernel

# Fuzzing replays, LeakSanitizer daemon cycles, fault injection, hostile clients (root).
test-reliability: native
	$(Q)$(MAKE) --no-print-directory -C native BUILD=$(BUILD) test-reliability

# A bounded libFuzzer campaign (make test only replays the corpus and regressions).
fuzz: native
	$(Q)$(MAKE) --no-print-directory -C native BUILD=$(BUILD) fuzz

vm-test: native
	$(Q)$(MAKE) --no-print-directory -C vm BUILD=$(BUILD) test

demo: java
	$(Q)bash scripts/demo.sh

# Issue 16's S4/S5 scenarios (root): the kernel source against procfs, queue and the stock points.
kernel-value: native java
	$(Q)bash scripts/kernel-value.sh $(KV_ARGS)

bench: java
	$(Q)bash scripts/bench.sh

# The full 10-minute dispatcher soak (make test runs a 20 s one).
SOAK_SECONDS ?= 600
soak:
	$(Q)$(MVN) $(MVNFLAGS) -pl pekko-dispatcher -am verify -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
		-Dmorpheus.soak.seconds=$(SOAK_SECONDS)

clean:
	$(Q)rm -rf $(BUILD)
	$(Q)$(MVN) $(MVNFLAGS) clean
