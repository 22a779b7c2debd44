require ["fileinto"];
if false { fileinto "A"; } elsif true { fileinto "B"; } elsif true { fileinto "C"; } else { fileinto "D"; }
if false { fileinto "E"; } elsif false { fileinto "F"; } else { fileinto "G"; }
if false { fileinto "H"; }
elsif true { fileinto "I"; }
if true { fileinto "J"; }
if true { fileinto "K"; } else { fileinto "L"; }
