/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * scx_compat.bpf.h - the sched_ext kfuncs scx_morpheus uses, callable on kernels 6.12 .. 7.x.
 *
 * Include after vmlinux.h (dumped from the test kernel's BTF, with BPF_NO_KFUNC_PROTOTYPES so
 * its own kfunc prototypes stay out of the way) and <bpf/bpf_helpers.h>.
 *
 * Every kfunc is declared `__ksym __weak`: libbpf resolves it against the running kernel's BTF
 * at load time and leaves the address 0 when the kernel lacks it, which `bpf_ksym_exists()`
 * tests; the verifier then removes the dead branch. A name with a `___suffix` is resolved by
 * libbpf under the name before the suffix, which lets one program declare an old signature
 * under a different C name.
 *
 * Kernel history this header absorbs (see kernel tools/sched_ext/include/scx/compat.bpf.h):
 *   6.12  scx_bpf_dispatch[_vtime](), scx_bpf_consume()
 *   6.13  renamed to scx_bpf_dsq_insert[_vtime](), scx_bpf_dsq_move_to_local()
 *   6.17  the old names removed
 *   6.19  scx_bpf_dsq_insert returns bool (kernel keeps the void form), scx_bpf_task_set_slice()
 *   7.1   scx_bpf_dsq_move_to_local gains enq_flags (kernel keeps the 1-argument form)
 * We call the forms every kernel since 6.13 exports, falling back to the 6.12 names. The 7.x
 * forms with extra arguments are reachable only as `name___v2` in kernel BTF, which libbpf 1.4
 * resolves by the stripped name; we therefore stay on the compatibility forms. The loader
 * (native/src/scx_backend.c, check_kfuncs) checks the kernel's BTF for them before loading
 * and refuses with a clear message if a future kernel drops them (a combined bpf_ksym_exists() test in BPF
 * gets OR-ed by clang into pointer arithmetic the verifier rejects).
 */
#ifndef MORPHEUS_SCX_COMPAT_BPF_H
#define MORPHEUS_SCX_COMPAT_BPF_H

/* Struct_ops callbacks, named <scheduler>_<op>. */
#define BPF_STRUCT_OPS(name, args...) SEC("struct_ops/" #name) BPF_PROG(name, ##args)
#define BPF_STRUCT_OPS_SLEEPABLE(name, args...) SEC("struct_ops.s/" #name) BPF_PROG(name, ##args)

/* 6.13+ */
void scx_bpf_dsq_insert(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
void scx_bpf_dsq_insert_vtime(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
			      u64 enq_flags) __ksym __weak;
bool scx_bpf_dsq_move_to_local(u64 dsq_id) __ksym __weak;
/* 6.12 only */
void scx_bpf_dispatch___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 enq_flags) __ksym __weak;
void scx_bpf_dispatch_vtime___compat(struct task_struct *p, u64 dsq_id, u64 slice, u64 vtime,
				     u64 enq_flags) __ksym __weak;
bool scx_bpf_consume___compat(u64 dsq_id) __ksym __weak;

/* Stable since 6.12. */
s32 scx_bpf_create_dsq(u64 dsq_id, s32 node) __ksym __weak;
s32 scx_bpf_dsq_nr_queued(u64 dsq_id) __ksym __weak;
/* DSQ iterator (6.12+): used to peek at the head of a vtime-ordered DSQ */
int bpf_iter_scx_dsq_new(struct bpf_iter_scx_dsq *it, u64 dsq_id, u64 flags) __ksym __weak;
struct task_struct *bpf_iter_scx_dsq_next(struct bpf_iter_scx_dsq *it) __ksym __weak;
void bpf_iter_scx_dsq_destroy(struct bpf_iter_scx_dsq *it) __ksym __weak;
s32 scx_bpf_select_cpu_dfl(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *is_idle) __ksym __weak;
s32 scx_bpf_pick_idle_cpu(const struct cpumask *cpus_allowed, u64 flags) __ksym __weak;
void scx_bpf_kick_cpu(s32 cpu, u64 flags) __ksym __weak;
s32 scx_bpf_task_cpu(const struct task_struct *p) __ksym __weak;
bool bpf_cpumask_test_cpu(u32 cpu, const struct cpumask *cpumask) __ksym __weak;
struct cgroup *scx_bpf_task_cgroup(struct task_struct *p) __ksym __weak;
void bpf_cgroup_release(struct cgroup *cgrp) __ksym __weak;
void scx_bpf_error_bstr(char *fmt, unsigned long long *data, u32 data__sz) __ksym __weak;

static __always_inline void compat_dsq_insert(struct task_struct *p, u64 dsq, u64 slice, u64 flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert))
		scx_bpf_dsq_insert(p, dsq, slice, flags);
	else if (bpf_ksym_exists(scx_bpf_dispatch___compat))
		scx_bpf_dispatch___compat(p, dsq, slice, flags);
}

static __always_inline void compat_dsq_insert_vtime(struct task_struct *p, u64 dsq, u64 slice,
						    u64 vtime, u64 flags)
{
	if (bpf_ksym_exists(scx_bpf_dsq_insert_vtime))
		scx_bpf_dsq_insert_vtime(p, dsq, slice, vtime, flags);
	else if (bpf_ksym_exists(scx_bpf_dispatch_vtime___compat))
		scx_bpf_dispatch_vtime___compat(p, dsq, slice, vtime, flags);
}

static __always_inline bool compat_dsq_move_to_local(u64 dsq)
{
	if (bpf_ksym_exists(scx_bpf_dsq_move_to_local))
		return scx_bpf_dsq_move_to_local(dsq);
	if (bpf_ksym_exists(scx_bpf_consume___compat))
		return scx_bpf_consume___compat(dsq);
	return false;
}

/* scx_bpf_error("fmt", args...): abort the scheduler with a message (like the kernel's macro,
 * written here with bpf_helpers' ___bpf_fill). */
#define scx_bpf_error(fmt, args...)                                                    \
	({                                                                             \
		static char ___fmt[] = fmt;                                            \
		unsigned long long ___param[___bpf_narg(args)];                        \
		_Pragma("GCC diagnostic push")                                         \
		_Pragma("GCC diagnostic ignored \"-Wint-conversion\"")                 \
		___bpf_fill(___param, args);                                           \
		_Pragma("GCC diagnostic pop")                                          \
		scx_bpf_error_bstr(___fmt, ___param, sizeof(___param));                \
	})

#endif /* MORPHEUS_SCX_COMPAT_BPF_H */
