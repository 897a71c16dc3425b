/*
 * Free-mail providers: a reporter writing from one of these domains says
 * nothing about which customer they belong to, so psm never maps such a
 * domain to a customer (people.h), whatever `customer_domains` says.
 * Sorted (bytewise, lower case) for the binary search; t/unit/test-people.c
 * checks the order.
 */
#include "psm/freemail.h"

#include <stdlib.h>
#include <strings.h>

const char *const psm_free_mail_domains[] = {
	"126.com", "163.com", "aim.com", "alice.it", "aliyun.com", "aol.com", "att.net",
	"bellsouth.net", "bigpond.com", "bk.ru", "bol.com.br", "btinternet.com", "charter.net",
	"comcast.net", "cox.net", "daum.net", "disroot.org", "duck.com", "earthlink.net",
	"email.com", "fastmail.com", "fastmail.fm", "free.fr", "freenet.de", "gmail.com",
	"gmx.at", "gmx.ch", "gmx.com", "gmx.de", "gmx.fr", "gmx.net", "googlemail.com",
	"hanmail.net", "hey.com", "hotmail.co.uk", "hotmail.com", "hotmail.com.br",
	"hotmail.de", "hotmail.es", "hotmail.fr", "hotmail.it", "hushmail.com", "icloud.com",
	"inbox.com", "inbox.ru", "interia.pl", "juno.com", "laposte.net", "libero.it",
	"list.ru", "live.co.uk", "live.com", "live.de", "live.fr", "lycos.com", "mac.com",
	"mail.com", "mail.ru", "mailbox.org", "me.com", "msn.com", "naver.com", "netzero.net",
	"ntlworld.com", "o2.pl", "onet.pl", "optonline.net", "optusnet.com.au", "orange.fr",
	"outlook.com", "outlook.de", "outlook.fr", "pm.me", "posteo.de", "posteo.net",
	"privaterelay.appleid.com", "proton.me", "protonmail.ch", "protonmail.com", "qq.com",
	"rambler.ru", "rediffmail.com", "riseup.net", "rocketmail.com", "rogers.com",
	"runbox.com", "sbcglobal.net", "seznam.cz", "sfr.fr", "shaw.ca", "sina.com",
	"sky.com", "sohu.com", "sympatico.ca", "t-online.de", "talktalk.net", "terra.com.br",
	"tiscali.it", "tuta.io", "tutanota.com", "uol.com.br", "users.noreply.github.com",
	"verizon.net", "virgilio.it", "virginmedia.com", "wanadoo.fr", "web.de", "wp.pl",
	"xtra.co.nz", "ya.ru", "yahoo.co.jp", "yahoo.co.uk", "yahoo.com", "yahoo.com.br",
	"yahoo.de", "yahoo.fr", "yandex.com", "yandex.ru", "yeah.net", "ymail.com",
	"zoho.com", "zohomail.com",
};
const size_t psm_free_mail_count = sizeof(psm_free_mail_domains) / sizeof(psm_free_mail_domains[0]);

static int cmp_domain(const void *key, const void *elem)
{
	return strcasecmp(key, *(const char *const *)elem);
}

int psm_free_mail_domain(const char *domain)
{
	return domain && bsearch(domain, psm_free_mail_domains, psm_free_mail_count,
				 sizeof(*psm_free_mail_domains), cmp_domain) != NULL;
}
