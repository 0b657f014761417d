// SPDX-License-Identifier: Apache-2.0
// gosemver_ref.go — the reference answers of golang.org/x/mod/semver (Debian's
// golang-golang-x-mod-dev) for tests/cli/vercmp-go.py: "A<TAB>B" lines on standard input,
// one of <, =, > or ! per line. A missing leading "v" is added first (OSV writes Go
// versions without it; kensa accepts both); a version semver.IsValid refuses gives "!".
package main

import (
	"bufio"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func withV(v string) string {
	if strings.HasPrefix(v, "v") {
		return v
	}
	return "v" + v
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		line := in.Text()
		tab := strings.IndexByte(line, '\t')
		a, b := withV(line[:tab]), withV(line[tab+1:])
		if !semver.IsValid(a) || !semver.IsValid(b) {
			out.WriteString("!\n")
			continue
		}
		switch c := semver.Compare(a, b); {
		case c < 0:
			out.WriteString("<\n")
		case c > 0:
			out.WriteString(">\n")
		default:
			out.WriteString("=\n")
		}
	}
}
