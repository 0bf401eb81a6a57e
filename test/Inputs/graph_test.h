/* graph_test.h: the shapes of the kernel selftests' bpf_experimental.h for
 * bpf_obj_new, lists, rbtrees and refcounts, on top of bpf_test.h (which
 * already declares the basic graph kfuncs and the __contains and private()
 * macros). Programs built with it load into a real kernel (6.18). */
#ifndef BPFLINT_TEST_GRAPH_TEST_H
#define BPFLINT_TEST_GRAPH_TEST_H

#include "bpf_test.h"

extern struct bpf_list_node *
bpf_list_front(struct bpf_list_head *head) __ksym __weak;
extern struct bpf_list_node *
bpf_list_back(struct bpf_list_head *head) __ksym __weak;
extern struct bpf_rb_node *
bpf_rbtree_root(struct bpf_rb_root *root) __ksym __weak;
extern struct bpf_rb_node *
bpf_rbtree_left(struct bpf_rb_root *root,
                struct bpf_rb_node *node) __ksym __weak;
extern struct bpf_rb_node *
bpf_rbtree_right(struct bpf_rb_root *root,
                 struct bpf_rb_node *node) __ksym __weak;

#endif
