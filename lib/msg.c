/*
 * msg.c: the one message catalogue.  Every text the user sees (pages,
 * errors, mails) is here, keyed by name and sorted for bsearch; templates
 * use {{@key}}.  The unit test checks the order and that every key a
 * template uses exists.
 */
#include <stdlib.h>
#include <string.h>

#include "portal.h"

struct msg {
	const char	*key;
	const char	*text;
};

/* Sorted by key (strcmp order). */
static const struct msg msgs[] = {
	{ "button_login", "ログイン" },
	{ "button_register", "登録する" },
	{ "button_save", "保存する" },
	{ "button_verify", "メールアドレスを確認する" },
	{ "env_banner", "本番環境ではありません" },
	{ "err_bad_request", "リクエストの形式が正しくありません。" },
	{ "err_charset", "使用できない文字が含まれています。" },
	{ "err_conflict", "この内容は別の画面で更新されました。最新の内容を確認して、もう一度保存してください。" },
	{ "err_csrf", "フォームの有効期限が切れたか、不正な送信です。ページを再読み込みしてやり直してください。" },
	{ "err_forbidden", "この操作を行う権限がありません。" },
	{ "err_form", "入力内容に誤りがあります。各項目のメッセージを確認してください。" },
	{ "err_format", "形式が正しくありません。" },
	{ "err_internal", "内部エラーが発生しました。時間をおいて再度お試しください。" },
	{ "err_login_failed", "メールアドレスまたはパスワードが正しくありません。" },
	{ "err_mail", "メールを送信できませんでした。時間をおいて再度お試しください。" },
	{ "err_method", "この方法ではアクセスできません。" },
	{ "err_not_found", "ページが見つかりません。" },
	{ "err_not_verified", "メールアドレスの確認が済んでいません。登録時にお送りしたメールのリンクから確認してください。" },
	{ "err_password_classes", "英大文字・英小文字・数字・記号をそれぞれ1文字以上含めてください。" },
	{ "err_password_classes_k", "英大文字・英小文字・数字・記号のうち、決められた種類数の文字を含めてください。" },
	{ "err_password_common", "よく使われているパスワード（それに数字や記号を付け足しただけのものを含む）は使用できません。" },
	{ "err_password_contains_id", "メールアドレスの一部をパスワードに含めることはできません。" },
	{ "err_password_contains_name", "氏名やフリガナをパスワードに含めることはできません。" },
	{ "err_password_long", "パスワードが長すぎます。" },
	{ "err_password_mismatch", "確認用のパスワードが一致しません。" },
	{ "err_password_rules", "パスワードが次の条件を満たしていません。" },
	{ "err_password_short", "パスワードが短すぎます。" },
	{ "err_required", "入力してください。" },
	{ "err_too_large", "送信されたデータが大きすぎます。" },
	{ "err_too_long", "長すぎます。" },
	{ "err_too_short", "短すぎます。" },
	{ "err_unavailable", "ただいまサービスを利用できません。しばらくしてから再度お試しください。" },
	{ "err_verify_invalid", "このリンクは無効か、有効期限が切れているか、既に使用されています。" },
	{ "footer_text", "会員ポータル" },
	{ "help_kana", "全角カタカナで入力してください（例：ヤマダ タロウ）。" },
	{ "help_password_a", "" },
	{ "help_password_b", "文字以上" },
	{ "help_password_c", "英大文字・英小文字・数字・記号をそれぞれ1文字以上含めてください。" },
	{ "help_password_classes_a", "英大文字・英小文字・数字・記号のうち" },
	{ "help_password_classes_b", "種類以上を含めてください。" },
	{ "help_password_common", "よく使われているパスワードは使用できません。" },
	{ "help_password_len", "文字以下で、" },
	{ "help_password_personal", "メールアドレスや氏名を含むパスワードは使用できません。" },
	{ "label_address", "住所" },
	{ "label_email", "メールアドレス" },
	{ "label_name", "氏名" },
	{ "label_name_kana", "氏名（カナ）" },
	{ "label_password", "パスワード" },
	{ "label_password_confirm", "パスワード（確認）" },
	{ "label_phone", "電話番号" },
	{ "label_postal_code", "郵便番号" },
	{ "label_registered", "登録日時" },
	{ "link_home", "トップページへ戻る" },
	{ "link_login", "ログイン画面へ" },
	{ "link_register", "新規会員登録はこちら" },
	{ "mail_exists_body", "このメールアドレスで会員登録の申し込みがありましたが、このアドレスは既に登録済みです。\nご本人による操作であれば、次の画面からログインしてください。パスワードをお忘れの場合はパスワード再設定をご利用ください。\nお心当たりのない場合は、このメールを破棄してください。" },
	{ "mail_exists_subject", "【会員ポータル】会員登録のお申し込みについて" },
	{ "mail_footer", "このメールは送信専用のアドレスから送信しています。\n--\n会員ポータル" },
	{ "mail_notice_advice", "お心当たりのない場合は、第三者がパスワードを知っているおそれがあります。すぐにパスワードを変更し、会員情報の画面で他のセッションを終了してください。ご不明な点は窓口までお問い合わせください。" },
	{ "mail_notice_from", "接続元: " },
	{ "mail_notice_when", "日時: " },
	{ "mail_verify_body", "会員ポータルへのご登録ありがとうございます。\n次のリンクを開き、画面のボタンを押してメールアドレスの確認を完了してください。リンクには有効期限があります。\nお心当たりのない場合は、このメールを破棄してください。" },
	{ "mail_verify_subject", "【会員ポータル】メールアドレスの確認" },
	{ "maintenance_retry", "ご不便をおかけしますが、しばらくしてから再度アクセスしてください。" },
	{ "maintenance_text", "ただいまメンテナンス中です。" },
	{ "nav_logout", "ログアウト" },
	{ "nav_profile", "会員情報" },
	{ "notice_saved", "会員情報を保存しました。" },
	{ "notice_verified", "メールアドレスを確認しました。ログインしてください。" },
	{ "profile_account", "アカウント" },
	{ "profile_edit", "登録内容の変更" },
	{ "register_intro", "必要事項を入力してください。登録後、確認のメールをお送りします。" },
	{ "register_sent_hint", "メールが届かない場合は、迷惑メールフォルダを確認するか、しばらくしてから再度お申し込みください。" },
	{ "register_sent_text", "ご入力のメールアドレスに確認のメールをお送りしました。メールに記載のリンクから登録を完了してください。" },
	{ "required", "必須" },
	{ "site_name", "会員ポータル" },
	{ "title_error", "エラー" },
	{ "title_login", "ログイン" },
	{ "title_maintenance", "メンテナンス中" },
	{ "title_profile", "会員情報" },
	{ "title_register", "会員登録" },
	{ "title_register_sent", "確認メールを送信しました" },
	{ "title_verify", "メールアドレスの確認" },
	{ "verify_invalid_hint", "お手数ですが、もう一度会員登録をお申し込みください。登録済みの場合はログインしてください。" },
	{ "verify_text", "下のボタンを押すと、メールアドレスの確認が完了し、ログインできるようになります。" },
};

static int
msg_cmp(const void *k, const void *m)
{
	return strcmp(k, ((const struct msg *)m)->key);
}

const char *
msg_get(const char *key)
{
	const struct msg	*m;

	if (key == NULL)
		return NULL;
	m = bsearch(key, msgs, sizeof(msgs) / sizeof(msgs[0]), sizeof(msgs[0]),
	    msg_cmp);
	return m != NULL ? m->text : NULL;
}

size_t
msg_count(void)
{
	return sizeof(msgs) / sizeof(msgs[0]);
}

const char *
msg_key(size_t i)
{
	return i < sizeof(msgs) / sizeof(msgs[0]) ? msgs[i].key : NULL;
}
