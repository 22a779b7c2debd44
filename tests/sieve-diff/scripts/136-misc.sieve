require ["fileinto", "imap4flags"];
addflag "\\Seen"; keep; removeflag "\\Seen"; fileinto "NoSeen";
