// Every malformed TPROF_OPTIONS item gets exactly one warning naming the key
// and the value; the default is kept and the program runs on. verbosity=0
// silences them. A setuid program ignores TPROF_OPTIONS (secure_getenv).
//
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: %tprof_cc -O1 %s %tprof_rt_static -o %t.exe
// RUN: env "TPROF_OPTIONS=output_dir=%t.d:no_such_key=1:cpu_profiling_enabled=maybe:max_traced_allocations=-5:slow_operation_threshold_ms=1e999:timeline_max_events=99999999999999999999:program_id=:novalue:verbosity=7:flush_interval_ms=12abc:memory_tracking_enabled=:%{LONG}" %t.exe > %t.out 2> %t.err; echo "status $?" >> %t.out
// RUN: %FileCheck %s --check-prefix=STATUS < %t.out
// RUN: %FileCheck %s --check-prefix=WARN < %t.err
// RUN: grep -c "tprof: warning" %t.err | %FileCheck %s --check-prefix=ELEVEN
// RUN: %tpq %t.d get config.max_traced_allocations | %FileCheck %s --check-prefix=TENK
// RUN: %tpq %t.d get config.cpu_profiling_enabled | %FileCheck %s --check-prefix=TRUE
// RUN: %tpq %t.d get config.memory_tracking_enabled | %FileCheck %s --check-prefix=TRUE
// RUN: %tpq %t.d get config.timeline_max_events | %FileCheck %s --check-prefix=TENK
// RUN: %tpq %t.d get config.slow_operation_threshold_ms | %FileCheck %s --check-prefix=TEN
// RUN: %tpq %t.d get config.flush_interval_ms | %FileCheck %s --check-prefix=ZERO
// RUN: %tpq %t.d get config.verbosity | %FileCheck %s --check-prefix=ONE
// RUN: %tpq %t.d get profile_data.total_calls | %FileCheck %s --check-prefix=CALLS
//
// verbosity=0: nothing on stderr, even for bad items.
// RUN: env "TPROF_OPTIONS=verbosity=0:output_dir=%t.d:bogus=1:max_traced_allocations=x" %t.exe 2> %t.quiet; test $? = 3
// RUN: count 0 < %t.quiet
//
// STATUS: status 3
// WARN-DAG: unknown option 'no_such_key' (value '1')
// WARN-DAG: bad value 'maybe' for cpu_profiling_enabled
// WARN-DAG: bad value '-5' for max_traced_allocations
// WARN-DAG: bad value '1e999' for slow_operation_threshold_ms
// WARN-DAG: bad value '99999999999999999999' for timeline_max_events
// WARN-DAG: bad value '' for program_id
// WARN-DAG: 'novalue' has no '=value'
// WARN-DAG: bad value '7' for verbosity
// WARN-DAG: bad value '12abc' for flush_interval_ms
// WARN-DAG: bad value '' for memory_tracking_enabled
// WARN-DAG: bad value '{{x+}}' for output_dir: expected a directory path of at most 4095 bytes (this one has {{[0-9]+}})
// ELEVEN: {{^}}11{{$}}
// TENK: {{^}}10000{{$}}
// TEN: {{^}}10.0{{$}}
// TRUE: {{^}}true{{$}}
// ZERO: {{^}}0{{$}}
// ONE: {{^}}1{{$}}
// CALLS: {{^}}2{{$}}
int work(int x) { return x + 1; }
int main(void) { return work(2); }
