// SPDX-License-Identifier: Apache-2.0
// MavenVercmp.java — the reference answers of Maven's ComparableVersion (the maven-artifact jar
// Debian's maven package ships) for tests/cli/vercmp-maven.py: "A<TAB>B" lines on standard
// input, one of <, =, > per line on standard output. Maven orders every string; refusing some
// is kensa's policy and is applied by the test, not here.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class MavenVercmp {
	public static void main(String[] args) throws Exception {
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		PrintWriter out = new PrintWriter(System.out);
		String line;
		while ((line = in.readLine()) != null) {
			int tab = line.indexOf('\t');
			int c = new ComparableVersion(line.substring(0, tab))
				.compareTo(new ComparableVersion(line.substring(tab + 1)));
			out.println(c < 0 ? "<" : c > 0 ? ">" : "=");
		}
		out.flush();
	}
}
