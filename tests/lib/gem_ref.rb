# SPDX-License-Identifier: Apache-2.0
# gem_ref.rb — the reference answers of RubyGems' Gem::Version for tests/cli/vercmp-gem.py:
# "A<TAB>B" lines on standard input, one of <, =, > or ! (Gem::Version.new raises) per line.
$stdin.set_encoding(Encoding::UTF_8)
$stdin.each_line("\n", chomp: true) do |line|
  a, b = line.split("\t", 2)
  begin
    c = Gem::Version.new(a) <=> Gem::Version.new(b)
    puts(c.negative? ? "<" : c.positive? ? ">" : "=")
  rescue ArgumentError
    puts "!"
  end
end
