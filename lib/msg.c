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
	{ "button_change_password", "パスワードを変更する" },
	{ "button_end_others", "他のすべてのセッションを終了する" },
	{ "button_end_session", "終了する" },
	{ "button_login", "ログイン" },
	{ "button_register", "登録する" },
	{ "button_reset_request", "再設定用のメールを送信する" },
	{ "button_reset_set", "新しいパスワードを設定する" },
	{ "button_save", "保存する" },
	{ "button_verify", "メールアドレスを確認する" },
	{ "button_withdraw", "退会する" },
	{ "env_banner", "本番環境ではありません" },
	{ "err_bad_request", "リクエストの形式が正しくありません。" },
	{ "err_charset", "使用できない文字が含まれています。" },
	{ "err_conflict", "この内容は別の画面で更新されました。最新の内容を確認して、もう一度保存してください。" },
	{ "err_csrf", "フォームの有効期限が切れたか、不正な送信です。ページを再読み込みしてやり直してください。" },
	{ "err_current_password", "現在のパスワードが正しくありません。" },
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
	{ "err_password_same", "現在のパスワードとは異なるパスワードを設定してください。" },
	{ "err_password_short", "パスワードが短すぎます。" },
	{ "err_password_wrong", "パスワードが正しくありません。" },
	{ "err_required", "入力してください。" },
	{ "err_reset_invalid", "このリンクは無効か、有効期限が切れているか、既に使用されています。" },
	{ "err_session_current", "現在お使いのセッションはこの画面では終了できません。終了するにはログアウトしてください。" },
	{ "err_throttled", "ログインの失敗が続いたため、この接続元からのログインを一時的に制限しています。しばらく時間をおいてから再度お試しください。" },
	{ "err_too_large", "送信されたデータが大きすぎます。" },
	{ "err_too_long", "長すぎます。" },
	{ "err_too_short", "短すぎます。" },
	{ "err_unavailable", "ただいまサービスを利用できません。しばらくしてから再度お試しください。" },
	{ "err_verify_invalid", "このリンクは無効か、有効期限が切れているか、既に使用されています。" },
	{ "err_withdraw_confirm", "退会する場合は、確認のチェックを入れてください。" },
	{ "err_withdraw_staff", "管理者・運用者のアカウントはこの画面から退会できません。" },
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
	{ "label_browser", "ブラウザ" },
	{ "label_confirm_withdraw", "上記の内容を確認し、退会します" },
	{ "label_current_password", "現在のパスワード" },
	{ "label_email", "メールアドレス" },
	{ "label_ip", "接続元" },
	{ "label_last_seen", "最終操作日時" },
	{ "label_login_at", "日時" },
	{ "label_login_failures", "前回から今回までのログイン失敗" },
	{ "label_login_ip", "接続元" },
	{ "label_name", "氏名" },
	{ "label_name_kana", "氏名（カナ）" },
	{ "label_new_password", "新しいパスワード" },
	{ "label_new_password_confirm", "新しいパスワード（確認）" },
	{ "label_password", "パスワード" },
	{ "label_password_confirm", "パスワード（確認）" },
	{ "label_phone", "電話番号" },
	{ "label_postal_code", "郵便番号" },
	{ "label_registered", "登録日時" },
	{ "label_session_action", "操作" },
	{ "label_started", "ログイン日時" },
	{ "link_forgot_password", "パスワードをお忘れの方はこちら" },
	{ "link_home", "トップページへ戻る" },
	{ "link_login", "ログイン画面へ" },
	{ "link_password", "パスワードの変更" },
	{ "link_profile", "会員情報へ戻る" },
	{ "link_register", "新規会員登録はこちら" },
	{ "link_reset_again", "パスワードの再設定をやり直す" },
	{ "link_sessions", "ログイン中のセッションの確認" },
	{ "link_withdraw", "退会" },
	{ "mail_exists_body", "このメールアドレスで会員登録の申し込みがありましたが、このアドレスは既に登録済みです。\nご本人による操作であれば、次の画面からログインしてください。パスワードをお忘れの場合はパスワード再設定をご利用ください。\nお心当たりのない場合は、このメールを破棄してください。" },
	{ "mail_exists_subject", "【会員ポータル】会員登録のお申し込みについて" },
	{ "mail_footer", "このメールは送信専用のアドレスから送信しています。\n--\n会員ポータル" },
	{ "mail_lock_admin", "このロックは、管理者が解除するまで続きます。解除をご希望の場合は窓口までお問い合わせください。" },
	{ "mail_lock_body", "あなたのアカウントで、パスワードの誤りによるログインの失敗が続いたため、アカウントをロックしました。ロック中は、正しいパスワードを入力してもログインできません。\nパスワードをお忘れの場合は、ログイン画面の「パスワードをお忘れの方はこちら」からパスワードを再設定できます。再設定が済むとロックも解除されます。" },
	{ "mail_lock_subject", "【会員ポータル】アカウントをロックしました" },
	{ "mail_lock_until", "ロック解除予定日時: " },
	{ "mail_login_new_browser_body", "あなたのアカウントに、これまでに使われたことのないブラウザからログインがありました。\nご本人による操作であれば、このメールへの対応は不要です。" },
	{ "mail_login_new_browser_subject", "【会員ポータル】新しいブラウザからのログイン" },
	{ "mail_notice_advice", "お心当たりのない場合は、第三者がパスワードを知っているおそれがあります。すぐにパスワードを変更し、会員情報の画面で他のセッションを終了してください。ご不明な点は窓口までお問い合わせください。" },
	{ "mail_notice_browser", "ブラウザ: " },
	{ "mail_notice_from", "接続元: " },
	{ "mail_notice_when", "日時: " },
	{ "mail_password_changed_body", "会員ポータルのパスワードが変更されました。ほかの端末のセッションはすべて終了しています。\nお心当たりのない場合は、ログイン画面の「パスワードをお忘れの方」からパスワードを再設定してください。" },
	{ "mail_password_changed_subject", "【会員ポータル】パスワードが変更されました" },
	{ "mail_password_reset_body", "会員ポータルのパスワードが再設定されました。すべての端末のセッションを終了しています。新しいパスワードでログインしてください。" },
	{ "mail_password_reset_subject", "【会員ポータル】パスワードが再設定されました" },
	{ "mail_reset_body", "パスワード再設定のお申し込みを受け付けました。\n次のリンクを開き、新しいパスワードを設定してください。リンクは一度だけ、有効期限まで使用できます。再設定すると、すべての端末でログアウトされます。\nお心当たりのない場合は、このメールを破棄してください。パスワードは変更されません。" },
	{ "mail_reset_expires", "有効期限: " },
	{ "mail_reset_subject", "【会員ポータル】パスワード再設定のご案内" },
	{ "mail_verify_body", "会員ポータルへのご登録ありがとうございます。\n次のリンクを開き、画面のボタンを押してメールアドレスの確認を完了してください。リンクには有効期限があります。\nお心当たりのない場合は、このメールを破棄してください。" },
	{ "mail_verify_subject", "【会員ポータル】メールアドレスの確認" },
	{ "mail_withdrawn_body", "会員ポータルの退会手続きが完了し、会員情報を削除しました。ご利用ありがとうございました。\nお心当たりのない場合は、窓口までお問い合わせください。" },
	{ "mail_withdrawn_subject", "【会員ポータル】退会手続き完了のお知らせ" },
	{ "maintenance_retry", "ご不便をおかけしますが、しばらくしてから再度アクセスしてください。" },
	{ "maintenance_text", "ただいまメンテナンス中です。" },
	{ "nav_logout", "ログアウト" },
	{ "nav_profile", "会員情報" },
	{ "notice_password_changed", "パスワードを変更しました。ほかの端末のセッションはすべて終了しました。" },
	{ "notice_password_reset", "パスワードを再設定しました。新しいパスワードでログインしてください。" },
	{ "notice_saved", "会員情報を保存しました。" },
	{ "notice_session_ended", "セッションを終了しました。" },
	{ "notice_session_gone", "そのセッションは既に終了しています。" },
	{ "notice_sessions_ended", "ほかのすべてのセッションを終了しました。" },
	{ "notice_verified", "メールアドレスを確認しました。ログインしてください。" },
	{ "notice_withdrawn", "退会の手続きが完了しました。ご利用ありがとうございました。" },
	{ "password_intro", "現在のパスワードと新しいパスワードを入力してください。変更すると、この端末以外のセッションはすべて終了します。" },
	{ "profile_account", "アカウント" },
	{ "profile_edit", "登録内容の変更" },
	{ "profile_first_login", "今回が初めてのログインです。" },
	{ "profile_last_login", "前回のログイン" },
	{ "profile_login_failures_warning", "前回のログインから今回までに、パスワードの誤りによるログインの失敗がありました。お心当たりのない場合は、すぐにパスワードを変更してください。" },
	{ "profile_security", "パスワード・セッション・退会" },
	{ "register_intro", "必要事項を入力してください。登録後、確認のメールをお送りします。" },
	{ "register_sent_hint", "メールが届かない場合は、迷惑メールフォルダを確認するか、しばらくしてから再度お申し込みください。" },
	{ "register_sent_text", "ご入力のメールアドレスに確認のメールをお送りしました。メールに記載のリンクから登録を完了してください。" },
	{ "required", "必須" },
	{ "reset_confirm_intro", "新しいパスワードを入力してください。設定すると、すべての端末でログアウトされます。" },
	{ "reset_intro", "登録済みのメールアドレスを入力してください。パスワード再設定用のリンクをメールでお送りします。" },
	{ "reset_invalid_hint", "お手数ですが、もう一度パスワードの再設定をお申し込みください。" },
	{ "reset_sent_hint", "メールが届かない場合は、迷惑メールフォルダを確認するか、入力したアドレスを確かめてもう一度お申し込みください。新しく申し込むと、以前のリンクは使用できなくなります。" },
	{ "reset_sent_text", "入力されたメールアドレスが登録されている場合は、パスワード再設定用のリンクをお送りしました。リンクには有効期限があります。" },
	{ "sessions_caption", "ログイン中のセッション（最終操作の新しい順）" },
	{ "sessions_current", "この端末" },
	{ "sessions_intro", "現在ログインしているセッションの一覧です。心当たりのないセッションがあれば終了し、パスワードを変更してください。" },
	{ "site_name", "会員ポータル" },
	{ "title_error", "エラー" },
	{ "title_login", "ログイン" },
	{ "title_maintenance", "メンテナンス中" },
	{ "title_password", "パスワードの変更" },
	{ "title_profile", "会員情報" },
	{ "title_register", "会員登録" },
	{ "title_register_sent", "確認メールを送信しました" },
	{ "title_reset", "パスワードの再設定" },
	{ "title_reset_confirm", "新しいパスワードの設定" },
	{ "title_reset_sent", "再設定用のメールを送信しました" },
	{ "title_sessions", "ログイン中のセッション" },
	{ "title_verify", "メールアドレスの確認" },
	{ "title_withdraw", "退会" },
	{ "unit_times", "回" },
	{ "verify_invalid_hint", "お手数ですが、もう一度会員登録をお申し込みください。登録済みの場合はログインしてください。" },
	{ "verify_text", "下のボタンを押すと、メールアドレスの確認が完了し、ログインできるようになります。" },
	{ "withdraw_intro", "退会すると、会員ポータルのアカウントが削除されます。退会前に次の内容を確認してください。" },
	{ "withdraw_item_audit", "操作の記録（監査ログ）は法令等に基づき一定期間保管されますが、会員番号のみが残り、氏名や連絡先は含まれません。" },
	{ "withdraw_item_data", "氏名・フリガナ・メールアドレス・電話番号・住所などの会員情報はすべて削除され、元に戻せません。" },
	{ "withdraw_item_final", "同じメールアドレスで再度利用する場合は、新規に会員登録が必要です。" },
	{ "withdraw_item_sessions", "すべての端末でログアウトされます。" },
	{ "withdraw_staff", "管理者・運用者のアカウントは、この画面からは退会できません。ほかの管理者にアカウントの削除を依頼してください。" },
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
