require ["fileinto"];
if size :over 5000 { fileinto "Big"; } elsif size :under 1000 { fileinto "Small"; }
