require ["imap4flags"];
addflag "a b c"; removeflag "b"; if hasflag :contains "a" { addflag "hasA"; }
