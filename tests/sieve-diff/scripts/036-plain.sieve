require ["copy", "fileinto"];
if header :comparator "i;octet" :contains "subject" "Re" {
  fileinto :copy "Copies";
}
