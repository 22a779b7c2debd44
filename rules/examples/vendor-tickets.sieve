# vendor-tickets.sieve - a vendor's case numbers. When we escalate an
# issue to the vendor, their replies carry "Case #01234567" and no trace of
# our thread. The ticket rule maps every case number to the issue it first
# appeared on (our own mail to the vendor, Bcc'd to the support address,
# carries both our [#N] tag and their number), so the vendor's later
# replies join that issue. An old helpdesk's "HD-1234" IDs work the same.
require ["vnd.ackmail", "fileinto", "mailbox"];

ackmail_ticket :system "vendor" "Case #?([0-9]{8})";
ackmail_ticket :system "oldhelpdesk" :body "\\bHD-([0-9]{4,6})\\b";

if address :domain :is "from" "vendor.example" {
    ackmail_issue;              # attach only: matched by the case number
    ackmail_tag "vendor";
    fileinto :create "Vendor";
    stop;
}

if anyof (ackmail_staff, ackmail_robot, ackmail_duplicate) {
    ackmail_issue;
    keep;
    stop;
}
ackmail_issue;
ackmail_acknowledge;
keep;
