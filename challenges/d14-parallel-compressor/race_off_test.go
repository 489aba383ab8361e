//go:build !race

package pgz

const tstRace = false
