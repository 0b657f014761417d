<?php
// SPDX-License-Identifier: Apache-2.0
// composer_ref.php — the reference answers of composer/semver for tests/cli/vercmp-composer.py:
// "A<TAB>B" lines on standard input; each side goes through VersionParser::normalize() and the
// results through version_compare(), as Composer's constraints do. "!" when normalize()
// throws or yields a branch ("dev-…"), which Composer never orders.
require '/usr/share/php/Composer/Semver/autoload.php';

$parser = new Composer\Semver\VersionParser();
$norm = function ($v) use ($parser) {
    try {
        $n = $parser->normalize($v);
    } catch (UnexpectedValueException $e) {
        return null;
    }
    return strncmp($n, 'dev-', 4) === 0 ? null : $n;
};
while (($line = fgets(STDIN)) !== false) {
    $line = substr($line, -1) === "\n" ? substr($line, 0, -1) : $line;
    [$a, $b] = explode("\t", $line, 2);
    $na = $norm($a);
    $nb = $norm($b);
    if ($na === null || $nb === null) {
        echo "!\n";
        continue;
    }
    $c = version_compare($na, $nb);
    echo $c < 0 ? "<\n" : ($c > 0 ? ">\n" : "=\n");
}
