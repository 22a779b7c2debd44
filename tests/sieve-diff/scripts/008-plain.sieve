require ["copy", "fileinto"];
if address :all :matches "to" "*@*.example" {
  fileinto :copy "Copies";
}
