require ["regex"];
if header :regex "subject" "(" { keep; }
