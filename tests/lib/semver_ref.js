// SPDX-License-Identifier: Apache-2.0
// semver_ref.js — the reference answers of node-semver for tests/cli/vercmp-npm*.py.
//
//   node semver_ref.js SEMVER_DIR compare     "A<TAB>B" lines → <, =, > or ! (compare() throws)
//   node semver_ref.js SEMVER_DIR satisfies   "RANGE<TAB>VERSION" lines → true, false or !
//                                             (validRange() or valid() says null)
'use strict'
const fs = require('fs')
const semver = require(process.argv[2])
const mode = process.argv[3]

const lines = fs.readFileSync(0, 'utf8').split('\n')
if (lines[lines.length - 1] === '') {
  lines.pop()
}
const out = []
for (const line of lines) {
  const tab = line.indexOf('\t')
  const a = line.slice(0, tab)
  const b = line.slice(tab + 1)
  if (mode === 'compare') {
    try {
      const c = semver.compare(a, b)
      out.push(c < 0 ? '<' : c > 0 ? '>' : '=')
    } catch (e) {
      out.push('!')
    }
  } else {
    if (semver.validRange(a) === null || semver.valid(b) === null) {
      out.push('!')
    } else {
      out.push(semver.satisfies(b, a) ? 'true' : 'false')
    }
  }
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''))
