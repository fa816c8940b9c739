package bench

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
)

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's usage.
const rusageThread = 1

// processCPU is the CPU time (user and system) this process has used.
func processCPU() time.Duration { return rusage(syscall.RUSAGE_SELF) }

// threadCPU is the CPU time the calling thread has used, or -1 when the
// system cannot tell.
func threadCPU() time.Duration { return rusage(rusageThread) }

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// clockTick is USER_HZ, the unit of /proc/stat (100 on every Linux
// architecture Go supports).
const clockTick = 100

// machineCPU is the CPU time every process on the machine has used since
// boot (the busy columns of /proc/stat's cpu line), or -1 when unknown.
func machineCPU() time.Duration {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return -1
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := bytes.Fields(line)
	if len(f) < 8 || string(f[0]) != "cpu" {
		return -1
	}
	var busy int64
	// user nice system idle iowait irq softirq steal: all but idle and iowait.
	for i, col := range f[1:min(len(f), 9)] {
		if i == 3 || i == 4 {
			continue
		}
		v, err := strconv.ParseInt(string(col), 10, 64)
		if err != nil {
			return -1
		}
		busy += v
	}
	return time.Duration(busy) * time.Second / clockTick
}

// PeakRSS is the most resident memory this process has had, in bytes
// (VmHWM), or -1 when unknown.
func PeakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if v, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			f := bytes.Fields(v)
			if len(f) == 2 && string(f[1]) == "kB" {
				if kb, err := strconv.ParseInt(string(f[0]), 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return -1
}
