//go:build !linux

package bench

import "time"

// processCPU is not measured on this system.
func processCPU() time.Duration { return 0 }

// threadCPU is not measured on this system.
func threadCPU() time.Duration { return -1 }

// machineCPU is not measured on this system.
func machineCPU() time.Duration { return -1 }

// PeakRSS is not measured on this system.
func PeakRSS() int64 { return -1 }
