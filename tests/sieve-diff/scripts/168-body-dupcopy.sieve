require ["copy"];
redirect :copy "a@b.example";
redirect "a@b.example";
