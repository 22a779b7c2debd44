# vip-customer.sieve - VIP customers (ackmail customer edit ID --vip, or a
# company by name): tagged, filed apart, and the technician on duty gets a
# copy of every new message from them.
require ["vnd.ackmail", "fileinto", "mailbox", "copy", "variables"];

if ackmail_duplicate { keep; stop; }

if allof (not ackmail_robot, not ackmail_staff,
          anyof (ackmail_customer :vip,
                 ackmail_customer :company :is "Fjord Legal")) {
    ackmail_issue;
    ackmail_tag "vip";
    ackmail_acknowledge;
    redirect :copy "oncall@example.com";
    fileinto :create "VIP";
    stop;
}

if anyof (ackmail_staff, ackmail_robot, ackmail_class "loop") {
    ackmail_issue;
    keep;
    stop;
}
ackmail_issue;
ackmail_acknowledge;
keep;
