"""Writes the inbox fixture corpus byte for byte (CRLF line ends, as mail travels).

Run from this folder: python3 make_fixtures.py (the outputs are committed; rerun only to
change them). Tokens are signed with the test secret `inbox-test-secret`, as the Swift tests do.
See README.md for where each shape comes from.
"""
import base64, hashlib, hmac

SECRET = b"inbox-test-secret"
DOMAIN = "tuottajaverkosto.example.fi"
MSGID = "2026-12.members.0123456789abcdef@" + DOMAIN


def unsubscribe_token(lst, address):
    payload = f"{lst}\n{address}".encode()
    mac = hmac.new(SECRET, b"tiedote-unsubscribe-v1\n" + payload, hashlib.sha256).digest()
    b64 = lambda b: base64.urlsafe_b64encode(b).decode().rstrip("=")
    return b64(payload) + "." + b64(mac)


def verp_token(lst, year, month, address):
    index = (year - 2000) * 12 + month - 1
    h = 0x811C9DC5
    for byte in lst.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    digest = hmac.new(SECRET, b"tiedote-return-path-v1\n" + f"{year:04d}-{month:02d}\n{lst}\n{address}".encode(),
                      hashlib.sha256).digest()[:10]
    raw = bytes([index >> 8, index & 0xFF]) + h.to_bytes(4, "big") + digest
    return base64.b32encode(raw).decode().rstrip("=").lower()


def write(name, text, raw_tail=b""):
    with open(name, "wb") as f:
        f.write(text.lstrip("\n").replace("\n", "\r\n").encode("utf-8") + raw_tail)


RETURNED_HEADERS = f"""From: Humak <tuottajaverkosto@humak.example.fi>
To: {{to}}
Subject: =?utf-8?q?Tuottajaverkoston_uutiskirje_joulukuu?=
Message-ID: <{MSGID}>
Date: Tue, 01 Dec 2026 09:00:00 +0200
"""


def returned(to):
    return RETURNED_HEADERS.replace("{to}", to)


# RFC 3464 Appendix A.1 ("Simple DSN"), addresses anonymised.
write("rfc3464-simple.eml", """
Date: Thu, 7 Jul 1994 17:16:05 -0400
From: Mail Delivery Subsystem <MAILER-DAEMON@cs.example.com>
Message-Id: <199407072116.RAA14128@cs.example.com>
Subject: Returned mail: Cannot send message for 5 days
To: <owner-ups-mib@cs.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
              boundary="RAA14128.773615765/cs.example.com"

--RAA14128.773615765/cs.example.com

The original message was received at Sat, 2 Jul 1994 17:10:28 -0400
from root@localhost

   ----- The following addresses had delivery problems -----
<louis@larry.example.com>  (unrecoverable error)

   ----- Transcript of session follows -----
<louis@larry.example.com>... Deferred: Connection timed out
                              with larry.example.com.
Message could not be delivered for 5 days
Message will be deleted from queue

--RAA14128.773615765/cs.example.com
content-type: message/delivery-status

Reporting-MTA: dns; cs.example.com

Original-Recipient: rfc822;louis@larry.example.com
Final-Recipient: rfc822;louis@larry.example.com
Action: failed
Status: 4.0.0
Diagnostic-Code: smtp; 426 connection timed out
Last-Attempt-Date: Thu, 7 Jul 1994 17:15:49 -0400

--RAA14128.773615765/cs.example.com
content-type: message/rfc822

[original message goes here]

--RAA14128.773615765/cs.example.com--
""")

# RFC 3464 Appendix A.2 ("Multi-Recipient DSN"), addresses anonymised.
write("rfc3464-multi.eml", """
Date: Fri, 8 Jul 1994 09:21:47 -0400
From: Mail Delivery Subsystem <MAILER-DAEMON@cs.example.com>
Subject: Returned mail: User unknown
To: <owner-info-mime@cs.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
     boundary="JAA13167.773673707/cs.example.com"

--JAA13167.773673707/cs.example.com
content-type: text/plain; charset=us-ascii

   ----- The following addresses had delivery problems -----
<arathib@vnet.example.com>  (unrecoverable error)
<wsnell@sdcc13.example.com>  (unrecoverable error)

--JAA13167.773673707/cs.example.com
content-type: message/delivery-status

Reporting-MTA: dns; cs.example.com

Original-Recipient: rfc822;arathib@vnet.example.com
Final-Recipient: rfc822;arathib@vnet.example.com
Action: failed
Status: 5.0.0 (permanent failure)
Diagnostic-Code: smtp;  550 'arathib@vnet.example.com' is not a registered gateway user
Remote-MTA: dns; vnet.example.com

Original-Recipient: rfc822;johnh@hpnjld.example.com
Final-Recipient: rfc822;johnh@hpnjld.example.com
Action: delayed
Status: 4.0.0 (hpnjld.example.com: host name lookup failure)

Original-Recipient: rfc822;wsnell@sdcc13.example.com
Final-Recipient: rfc822;wsnell@sdcc13.example.com
Action: failed
Status: 5.0.0
Diagnostic-Code: smtp; 550 user unknown
Remote-MTA: dns; sdcc13.example.com

--JAA13167.773673707/cs.example.com
content-type: message/rfc822

[original message goes here]

--JAA13167.773673707/cs.example.com--
""")

# RFC 3464 Appendix A.3 ("DSN from a Sendmail/gateway" with a non-Internet recipient type).
write("rfc3464-gateway.eml", """
From: Mail Delivery Subsystem <postmaster@gateway.example.com>
To: <sender@example.com>
Subject: Undeliverable mail
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary=foobar

--foobar
Content-Type: text/plain

The following message was undeliverable to recipient(s):
nair_s

--foobar
Content-Type: message/delivery-status

Reporting-MTA: mailbus; SYS30

Final-Recipient: unknown; nair_s
Status: 5.0.0 (unknown permanent failure)
Action: failed

--foobar--
""")

# RFC 3464 Appendix A.4 ("Delayed DSN").
write("rfc3464-delayed.eml", """
From: <postmaster@relay.example.com>
Subject: WARNING: message delayed
To: <owner-ietf-822@example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
      boundary="RAB04131.773637651/relay.example.com"

--RAB04131.773637651/relay.example.com
Content-Type: text/plain

The following message has not been delivered to all recipients
yet; we will keep trying for several more days.

--RAB04131.773637651/relay.example.com
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.com

Final-Recipient: rfc822;thomas@montfort.example.com
Status: 4.0.0 (unknown temporary failure)
Action: delayed

--RAB04131.773637651/relay.example.com--
""")

write("postfix-hard.eml", f"""
Return-Path: <>
Delivered-To: bounces@{DOMAIN}
From: MAILER-DAEMON@mail.example.fi (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@{DOMAIN}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="A1B2C3D4E5.1764579600/mail.example.fi"
Message-Id: <20261201090001.A1B2C3D4E5@mail.example.fi>

This is a MIME-encapsulated message.

--A1B2C3D4E5.1764579600/mail.example.fi
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.fi.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

<ville.virtanen@example.com>: host mx.example.com[192.0.2.10] said: 550 5.1.1
    <ville.virtanen@example.com>: Recipient address rejected: User unknown in
    virtual mailbox table (in reply to RCPT TO command)

--A1B2C3D4E5.1764579600/mail.example.fi
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.fi
X-Postfix-Queue-ID: A1B2C3D4E5
X-Postfix-Sender: rfc822; bounces@{DOMAIN}
Arrival-Date: Tue,  1 Dec 2026 09:00:00 +0200 (EET)

Final-Recipient: rfc822; ville.virtanen@example.com
Original-Recipient: rfc822;ville.virtanen@example.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.com
Diagnostic-Code: smtp; 550 5.1.1 <ville.virtanen@example.com>: Recipient address
    rejected: User unknown in virtual mailbox table

--A1B2C3D4E5.1764579600/mail.example.fi
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{returned("Ville Virtanen <ville.virtanen@example.com>")}
--A1B2C3D4E5.1764579600/mail.example.fi--
""")

write("postfix-delayed.eml", f"""
From: MAILER-DAEMON@mail.example.fi (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: bounces@{DOMAIN}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="F00BA12345.1764590000/mail.example.fi"

--F00BA12345.1764590000/mail.example.fi
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.fi.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

Your message could not be delivered for more than 4 hour(s).
It will be retried until it is 5 day(s) old.

<hanna.heikkinen@example.com>: connect to mx.example.com[192.0.2.11]:25: Connection
    timed out

--F00BA12345.1764590000/mail.example.fi
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.fi
X-Postfix-Queue-ID: F00BA12345

Final-Recipient: rfc822; hanna.heikkinen@example.com
Original-Recipient: rfc822;hanna.heikkinen@example.com
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.example.com[192.0.2.11]:25: Connection
    timed out
Will-Retry-Until: Sun, 6 Dec 2026 09:00:00 +0200 (EET)

--F00BA12345.1764590000/mail.example.fi
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{returned("hanna.heikkinen@example.com")}
--F00BA12345.1764590000/mail.example.fi--
""")

write("exim-classic.eml", f"""
Return-path: <>
Envelope-to: bounces@{DOMAIN}
From: Mail Delivery System <Mailer-Daemon@mx.example.com>
To: bounces@{DOMAIN}
Subject: Mail delivery failed: returning message to sender
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  matti.meikalainen@example.com
    host mx2.example.com [192.0.2.12]
    SMTP error from remote mail server after RCPT TO:<matti.meikalainen@example.com>:
    550 5.1.1 <matti.meikalainen@example.com>: Recipient address rejected: User unknown

------ This is a copy of the message, including all the headers. ------

Return-path: <bounces@{DOMAIN}>
{returned("matti.meikalainen@example.com")}
Hyvä vastaanottaja, ...
""")

write("exim-defer.eml", f"""
From: Mail Delivery System <Mailer-Daemon@mx.example.com>
To: bounces@{DOMAIN}
Subject: Warning: message 1kXyZa-0003Ab-Cd delayed 24 hours
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on mx.example.com.

The message identifier is:     1kXyZa-0003Ab-Cd

The address to which the message has not yet been delivered is:

  liisa.laine@example.com
    host mx3.example.com [192.0.2.13]
    Delay reason: SMTP error from remote mail server after RCPT TO:<liisa.laine@example.com>:
    451 4.3.0 Temporary lookup failure

No action is required on your part. Delivery attempts will continue for
some time, and this warning may be repeated at intervals if the message
remains undelivered. Eventually the mail delivery software will give up,
and when that happens, the message will be returned to you.
""")

write("exchange-ndr.eml", f"""
From: Microsoft Outlook <postmaster@outlook.example.com>
To: <bounces@{DOMAIN}>
Subject: Undeliverable: Tuottajaverkoston uutiskirje joulukuu
Auto-Submitted: auto-replied
Content-Language: en-US
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="b1_exchange_ndr"

--b1_exchange_ndr
Content-Type: multipart/alternative; differences=Content-Type;
	boundary="b2_exchange_alt"

--b2_exchange_alt
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Your message to sari.salo@example.com couldn't be delivered.
sari.salo wasn't found at example.com.

sari.salo   Office 365   sari.salo
Action Required                                    Recipient
Unknown To address

Diagnostic information for administrators:

Generating server: AM0PR01MB1234.eurprd01.prod.outlook.example.com

sari.salo@example.com
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipien=
t sari.salo@example.com not found by SMTP address lookup'

Original message headers:

From: Humak <tuottajaverkosto@humak.example.fi>
To: sari.salo@example.com

--b2_exchange_alt
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><body><p>Your message to <a href=3D"mailto:sari.salo@example.com">sari.=
salo@example.com</a> couldn't be delivered.</p></body></html>

--b2_exchange_alt--

--b1_exchange_ndr
Content-Type: message/delivery-status

Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.outlook.example.com
Received-From-MTA: dns;mail.example.fi
Arrival-Date: Tue, 1 Dec 2026 07:00:01 +0000

Final-Recipient: rfc822;sari.salo@example.com
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient sari.salo@example.com not found by SMTP address lookup

--b1_exchange_ndr
Content-Type: message/rfc822

{returned("sari.salo@example.com")}
Hei!

--b1_exchange_ndr--
""")

write("exchange-legacy-fi.eml", f"""
From: postmaster@kunta.example.fi
To: bounces@{DOMAIN}
Subject: =?iso-8859-1?Q?Ei_voitu_toimittaa:_Tuottajaverkoston_uutiskirje?=
MIME-Version: 1.0
Content-Type: text/plain; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

Toimitus seuraaville vastaanottajille tai ryhmille ep=E4onnistui:

juha.jarvinen@kunta.example.fi
Antamaasi s=E4hk=F6postiosoitetta ei l=F6ytynyt. Tarkista vastaanottajan =
s=E4hk=F6postiosoite ja yrit=E4 l=E4hett=E4=E4 viesti uudelleen.

Diagnostiikkatiedot j=E4rjestelm=E4nvalvojille:

Luova palvelin: EXCH01.kunta.example.fi

juha.jarvinen@kunta.example.fi
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
""")

write("exchange-legacy-html.eml", f"""
From: Microsoft Exchange <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@corp.example.com>
To: bounces@{DOMAIN}
Subject: Undeliverable: Tuottajaverkoston uutiskirje
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body>
<p><b>Delivery has failed to these recipients or groups:</b></p>
<p><a href="mailto:olli.ojala@corp.example.com">olli.ojala@corp.example.com</a><br>
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message.</p>
</body></html>
""")

write("gmail-dsn.eml", f"""
From: Mail Delivery Subsystem <mailer-daemon@googlemail.example.com>
To: bounces@{DOMAIN}
Subject: Delivery Status Notification (Failure)
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000gmail"; report-type=delivery-status

--000000000000gmail
Content-Type: multipart/related; boundary="000000000000related"

--000000000000related
Content-Type: multipart/alternative; boundary="000000000000alt"

--000000000000alt
Content-Type: text/plain; charset="UTF-8"

** Address not found **

Your message wasn't delivered to pirjo.peltonen@gmail.example.com because the address couldn't be found, or is unable to receive mail.

The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist.

--000000000000alt--
--000000000000related--
--000000000000gmail
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.example.com
Received-From-MTA: dns; mail.example.fi
Arrival-Date: Tue, 01 Dec 2026 00:00:01 -0800 (PST)

Final-Recipient: rfc822; pirjo.peltonen@gmail.example.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.l.example.com. (192.0.2.14, the server for the domain gmail.example.com.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.
Last-Attempt-Date: Tue, 01 Dec 2026 00:00:02 -0800 (PST)

--000000000000gmail
Content-Type: message/rfc822

{returned("pirjo.peltonen@gmail.example.com")}
Hei!
--000000000000gmail--
""")

write("gmail-legacy-permanent.eml", f"""
From: Mail Delivery Subsystem <mailer-daemon@googlemail.example.com>
To: bounces@{DOMAIN}
Subject: Delivery Status Notification (Failure)
Content-Type: text/plain; charset=ISO-8859-1

Delivery to the following recipient failed permanently:

     kalle.korhonen@example.com

Technical details of permanent failure:
Google tried to deliver your message, but it was rejected by the recipient domain. We recommend contacting the other email provider for further information about the cause of this error. The error that the other server returned was: 550 550 Unrouteable address (state 14).

----- Original message -----

{returned("kalle.korhonen@example.com")}
""")

write("gmail-legacy-delayed.eml", f"""
From: Mail Delivery Subsystem <mailer-daemon@googlemail.example.com>
To: bounces@{DOMAIN}
Subject: Delivery Status Notification (Delay)
Content-Type: text/plain; charset=ISO-8859-1

This is an automatically generated Delivery Status Notification

THIS IS A WARNING MESSAGE ONLY.

YOU DO NOT NEED TO RESEND YOUR MESSAGE.

Delivery to the following recipient has been delayed:

     tiina.toivonen@example.com

Message will be retried for 2 more day(s)

----- Original message -----

{returned("tiina.toivonen@example.com")}
""")

write("yahoo.eml", f"""
From: MAILER-DAEMON@yahoo.example.com
To: bounces@{DOMAIN}
Subject: Failure Notice

Sorry, we were unable to deliver your message to the following address.

<eero.eskola@yahoo.example.com>:
554: delivery error: dd This user doesn't have a yahoo.example.com account (eero.eskola@yahoo.example.com) [0] - mta1001.mail.example.com

--- Below this line is a copy of the message.

{returned("eero.eskola@yahoo.example.com")}
""")

write("qmail.eml", f"""
From: MAILER-DAEMON@mail.example.com
To: bounces@{DOMAIN}
Subject: failure notice

Hi. This is the qmail-send program at mail.example.com.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<riikka.rantanen@example.com>:
192.0.2.20 does not like recipient.
Remote host said: 550 5.1.1 <riikka.rantanen@example.com>: Recipient address rejected: User unknown
Giving up on 192.0.2.20.

--- Below this line is a copy of the message.

Return-Path: <bounces@{DOMAIN}>
{returned("riikka.rantanen@example.com")}
""")

write("qmail-quota.eml", f"""
From: MAILER-DAEMON@mail.example.com
To: bounces@{DOMAIN}
Subject: failure notice

Hi. This is the qmail-send program at mail.example.com.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<teemu.takala@example.com>:
Remote host said: 552 5.2.2 Mailbox full: teemu.takala@example.com is over quota

--- Below this line is a copy of the message.
""")

write("lotus-notes.eml", f"""
From: Postmaster@notes.example.com
To: bounces@{DOMAIN}
Subject: DELIVERY FAILURE: User pekka.puustinen (pekka.puustinen@notes.example.com) not listed in Domino Directory

Your message

  Subject: Tuottajaverkoston uutiskirje joulukuu

was not delivered to:

  pekka.puustinen@notes.example.com

because:

  User pekka.puustinen (pekka.puustinen@notes.example.com) not listed in Domino Directory
""")

write("groupwise.eml", f"""
From: Mail Delivery System <postmaster@gw.example.com>
To: bounces@{DOMAIN}
Subject: Undeliverable Mail

The message that you sent was undeliverable to the following:
	aila.aaltonen@gw.example.com (user not found)

Possible causes:
  The e-mail address may have been misspelled.
""")

write("plain-en-unsure.eml", f"""
From: Mail System <postmaster@mail.example.com>
To: bounces@{DOMAIN}
Subject: Message could not be delivered

Your message could not be delivered to jussi.jokinen@example.com.
""")

write("plain-fi-hard.eml", f"""
From: =?utf-8?q?Postij=C3=A4rjestelm=C3=A4?= <postmaster@posti.example.fi>
To: bounces@{DOMAIN}
Subject: =?utf-8?q?Viesti=C3=A4_ei_voitu_toimittaa?=
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Viestiäsi ei voitu toimittaa seuraavalle vastaanottajalle:

    anna.aho@posti.example.fi

Syy: pysyvä virhe, vastaanottajaa ei löytynyt.
""")

write("plain-fi-soft.eml", f"""
From: postmaster@posti.example.fi
To: bounces@{DOMAIN}
Subject: =?utf-8?b?Vmllc3RpbiB0b2ltaXR1cyB2aWl2w6RzdHlueXQ=?=
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

""" + base64.encodebytes("""Viestin toimitus vastaanottajalle

    olavi.ollila@posti.example.fi

on viivästynyt. Toimitusta yritetään uudelleen kahden vuorokauden ajan.
""".encode()).decode())

write("autoreply-headers.eml", f"""
From: Aino Mäkelä <aino.makela@example.fi>
To: tuottajaverkosto@humak.example.fi
Subject: =?utf-8?q?Automaattinen_vastaus:_Tuottajaverkoston_uutiskirje?=
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=utf-8

Olen lomalla 21.12. asti.
""")

write("autoreply-poissa.eml", f"""
From: Pekka Niemi <pekka.niemi@example.fi>
To: tuottajaverkosto@humak.example.fi
Subject: Poissa toimistolta
Content-Type: text/plain; charset=utf-8

Olen poissa toimistolta 4.1. asti. Kiireellisissä asioissa ota yhteyttä toimistoon.
""")

write("autoreply-x-autoreply.eml", f"""
From: someone@example.com
To: tuottajaverkosto@humak.example.fi
Subject: Re: Tuottajaverkoston uutiskirje
X-Autoreply: yes

I am away.
""")

TOKEN = unsubscribe_token("members", "aino.makela@example.fi")
write("unsubscribe-token.eml", f"""
From: Aino <aino.home@example.net>
To: peru@{DOMAIN}
Subject: unsubscribe {TOKEN}

""")

write("unsubscribe-token-body.eml", f"""
From: Aino <aino.home@example.net>
To: "Peru tilaus" <peru@{DOMAIN}>
Subject: peru
Content-Type: text/plain; charset=utf-8

Haluan perua tilauksen.
{TOKEN}
""")

write("unsubscribe-subscriber.eml", f"""
From: "Mikko Mallikas" <Mikko.Mallikas@example.fi>
To: peru@{DOMAIN}
Subject: Peru tilaus

Kiitos, en halua enää uutiskirjettä.
""")

write("unsubscribe-stranger.eml", f"""
From: stranger@example.net
To: peru@{DOMAIN}
Subject: unsubscribe

Please remove me.
""")

FORGED = TOKEN[:-4] + ("AAAA" if not TOKEN.endswith("AAAA") else "BBBB")
write("unsubscribe-forged.eml", f"""
From: stranger@example.net
To: peru@{DOMAIN}
Subject: unsubscribe {FORGED}

""")

write("reply-quoting-footer.eml", f"""
From: Aino <aino.makela@example.fi>
To: kulttuurituotanto@humak.example.fi
Subject: Re: Tuottajaverkoston uutiskirje joulukuu

Kiitos! Tulen kahveille.

> Peru tilaus: https://{DOMAIN}/peru?t={TOKEN}
""")

VERP = verp_token("members", 2026, 12, "aino.makela@example.fi")
write("verp-forwarded.eml", f"""
Return-Path: <>
Delivered-To: bounces+{VERP}@{DOMAIN}
From: MAILER-DAEMON@mail.example.net (Mail Delivery System)
To: bounces+{VERP}@{DOMAIN}
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="verp"

--verp
Content-Type: text/plain

<aino@forwarded.example.net>: host mx.forwarded.example.net said: 550 5.1.1 no such user

--verp
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.net

Final-Recipient: rfc822; aino@forwarded.example.net
Action: failed
Status: 5.1.1

--verp--
""")

write("verp-text-only.eml", f"""
Delivered-To: bounces+{VERP}@{DOMAIN}
From: MAILER-DAEMON@mail.example.net
To: bounces+{VERP}@{DOMAIN}
Subject: failure notice

I'm afraid I wasn't able to deliver your message.
This is a permanent error; I've given up. Sorry it didn't work out.
""")

write("postfix-success.eml", f"""
From: MAILER-DAEMON@mail.example.fi (Mail Delivery System)
To: bounces@{DOMAIN}
Subject: Successful Mail Delivery Report
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="ok"

--ok
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.fi.

Your message was successfully delivered to the destination(s)
listed below.

<aino.makela@example.fi>: delivery via mx.example.fi[192.0.2.40]:25: 250 2.0.0 Ok

--ok
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.fi

Final-Recipient: rfc822; aino.makela@example.fi
Action: delivered
Status: 2.0.0

--ok--
""")

write("not-a-bounce.eml", f"""
From: Liisa <liisa@example.fi>
To: tuottajaverkosto@humak.example.fi
Subject: Kysymys tapahtumasta

Hei, onko kahveille ilmoittautuminen?
""")

write("malformed-mime.eml", """
From: MAILER-DAEMON@broken.example.com
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status; boundary="never-closed"
Content-Transfer-Encoding: base64

--never-closed
Content-Type: message/delivery-status
Content-Transfer-Encoding: base64

!!!! not base64 @@@@
""", raw_tail=b"\xff\xfe\xc3\x28 invalid utf-8 \xe2\x82\r\n--never-closed\r\nContent-Type: text/plain\r\n\r\nbody without end")
