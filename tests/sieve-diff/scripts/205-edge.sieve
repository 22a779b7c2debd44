require ["editheader", "fileinto", "index", "variables"];
# adding Received is allowed; later tests see the added fields in place
addheader "Received" "by sieve.example.com; Mon, 23 Nov 2026 09:00:00 +0000";
addheader :last "X-Tag" "last";
addheader "X-Tag" "first";
if header :index 1 :contains "received" "sieve.example.com" { fileinto "AddedReceived"; }
if header :index 1 :is "x-tag" "first" { fileinto "TagFirst"; }
if header :index 1 :last :is "x-tag" "last" { fileinto "TagLast"; }
if header :matches "x-tag" "*" { fileinto "X-${1}"; }
