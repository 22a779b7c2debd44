# a script that does not compile: every error, in line order, no IR
require ["fileinto"];
if header :contains "subject" "x" {
	fileinto :copy "Copies";
	vacation "away";
}
frobnicate;
if size :over { keep; }
