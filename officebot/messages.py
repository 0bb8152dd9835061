"""The sentences a clerk reads, in Chinese and English: one entry a sentence, read with msg().

An English count says its noun once or many times: ``{n:letter|letters}`` is "letter" when
n is 1, else "letters" (the spec may hold fields too: ``{n:the letter|the {n} letters}``).
"""

import string
from typing import Dict, Tuple

MESSAGES: Dict[str, Dict[str, str]] = {
    # --- launcher ---------------------------------------------------------------------------
    "start": {"zh": "正在处理台账 {name} …", "en": "Processing the register {name} …"},
    "stage.read": {"zh": "读取台账", "en": "Reading the register"},
    "stage.judge": {"zh": "判断案件", "en": "Judging cases"},
    "stage.write": {"zh": "写回台账", "en": "Writing the register"},
    "stage.summary": {"zh": "生成汇总表", "en": "Building summary sheets"},
    "stage.letters": {"zh": "起草信函", "en": "Drafting letters"},
    "stage.backup": {"zh": "备份台账", "en": "Backing up the register"},
    "stage_done": {"zh": "完成", "en": "done"},
    "cases": {"zh": "共 {n} 件投诉", "en": "{n} {n:case|cases}"},
    "overdue": {"zh": "{n} 件逾期", "en": "{n} overdue"},
    "none_overdue": {"zh": "没有逾期案件", "en": "no case overdue"},
    "due_soon": {"zh": "{n} 件即将到期", "en": "{n} due soon"},
    "repeats": {"zh": "{n} 件重复投诉", "en": "{n} repeat {n:complaint|complaints}"},
    "escalated_to": {"zh": "{n} 件需上报{who}", "en": "{n} escalated to the {who}"},
    "escalated_many": {"zh": "{n} 件需上报领导（{detail}）", "en": "{n} escalated ({detail})"},
    "escalated_part": {"zh": "{who} {n} 件", "en": "{n} to the {who}"},
    "list_sep": {"zh": "、", "en": ", "},
    "letters": {"zh": "已在 {folder} 起草 {n} 封信函",
                "en": "{n} {n:letter|letters} drafted in {folder}"},
    "letters_none": {"zh": "没有需要起草的信函", "en": "no letter to draft"},
    # --- review fixes -----------------------------------------------------------------------
    "mail.letter_link": {
        "zh": "函件所在位置是一个链接（或不是普通文件），officebot 不会读取链接指向的文件："
              "请删除它，重新起草后再发送",
        "en": "a link (or something other than a plain file) stands at the letter's name, and "
              "officebot never reads what a link points at: delete it, draft the letter again "
              "and mail it then"},
    "report.totals": {
        "zh": "案件 {total} 件，逾期 {overdue} 件，即将到期 {due_soon} 件，重复投诉 {repeats} 件，"
              "已升级 {escalated} 件，问题行 {problems} 行。",
        "en": "{total} {total:case|cases}: {overdue} overdue, {due_soon} due soon, {repeats} "
              "{repeats:repeat|repeats}, {escalated} escalated; {problems} problem "
              "{problems:row|rows}."},
    # --- pdf: Word -> PDF with LibreOffice (pdf.convert_to_pdf) ---------------------------
    "pdf.no_libreoffice": {
        "zh": "这台电脑没有安装 LibreOffice，因此没有生成 PDF（Word 函件已起草）；"
              "如需 PDF，请安装 LibreOffice，或在 Word 中打印这些函件",
        "en": "LibreOffice is not installed, so no PDF was made (the Word letters were "
              "drafted); install LibreOffice to get PDFs, or print the letters from Word"},
    "pdf.timeout": {
        "zh": "LibreOffice 未能在 {seconds:g} 秒内把函件转换为 PDF；请调大 [letters] "
              "pdf_timeout_seconds，或一次少转换一些函件",
        "en": "LibreOffice did not finish converting letters to PDF within {seconds:g} "
              "seconds; raise [letters] pdf_timeout_seconds or convert fewer letters at once"},
    "pdf.not_started": {
        "zh": "无法启动 LibreOffice（{soffice}）（{why}）；请检查它的安装",
        "en": "LibreOffice ({soffice}) could not be started ({why}); check its installation"},
    "pdf.partly": {
        "zh": "LibreOffice 只把 {total} 封函件中的 {made} 封转换成了 PDF；请关闭在 Word 或 "
              "LibreOffice 中打开的函件，再加 --pdf 运行一次",
        "en": "LibreOffice converted {made} of {total} {total:letter|letters} to PDF; close "
              "any letter open in Word or LibreOffice and run with --pdf again"},
    "mail.post_no_pypdf": {
        "zh": "这台电脑没有安装 pypdf，因此待邮寄的函件没有合成一个 PDF；请用以下命令安装："
              "python -m pip install pypdf",
        "en": "pypdf is not installed, so the letters to post were not put into one PDF; "
              "install it with: python -m pip install pypdf"},
    "mail.post_unread": {
        "zh": "函件 {name} 无法读取（{why}），因此未生成待邮寄 PDF",
        "en": "the letter {name} could not be read ({why}), so no PDF to post was made"},
    # --- who holds the register open (lock_holder.locked_sentence) ----------------------
    "lock.here": {
        "zh": "台账正在这台电脑的 {program} 中打开{who}：请关闭后再运行。",
        "en": "The register is open in {program} on this computer{who}: close it and run "
              "again."},
    "lock.open": {
        "zh": "台账正在 {program} 中打开{who}：请关闭后再运行。",
        "en": "The register is open in {program}{who}: close it and run again."},
    "lock.there": {
        "zh": "台账正在另一台电脑（{computer}）的 {program} 中打开{who}："
              "请在那台电脑上关闭后再运行。",
        "en": "The register is open in {program} on another computer ({computer}){who}: "
              "close it there and run again."},
    "lock.stale": {
        "zh": "如果 {program} 已经关闭（例如曾异常退出），锁定文件 {owner} "
              "是残留的：请删除它（可能是隐藏文件）后再运行。",
        "en": "If {program} is closed (it may have crashed), the lock file {owner} is left "
              "over: delete it (it may be hidden) and run again."},
    "lock.excel": {
        "zh": "台账正在 Excel 或 WPS 中打开{who}（同一文件夹中有锁定文件 {owner}；"
              "从这个文件看不出是哪台电脑）：请关闭后再运行。如果谁都没有打开它（例如 Excel "
              "曾异常退出），这个锁定文件是残留的：请删除 {owner}（可能是隐藏文件）后再运行。",
        "en": "The register is open in Excel or WPS{who} (its owner file {owner} is in the "
              "same folder; that file does not say which computer): close it and run again. "
              "If no one has it open (Excel may have crashed), the owner file is left over: "
              "delete {owner} (it may be hidden) and run again."},
    "lock.unknown": {
        "zh": "台账正被一个程序锁定，但这台电脑上找不到是哪个程序（可能在共享此文件夹的其他电脑"
              "上，或是同步、备份软件）：请关闭后再运行。",
        "en": "The register is locked by a program this computer cannot name (it may run on "
              "another computer sharing this folder, or be a sync or backup tool): close it "
              "and run again."},
    "lock.who": {
        "zh": "（{user}）",
        "en": " ({user})"},
    "launcher.no_officebot": {
        "zh": "这台电脑上找不到装有 officebot 的 Python：请先安装 Python 3（python.org），再用 "
              "py -m pip install 安装 officebot，或在本文件夹建一个装有 officebot 的 .venv。",
        "en": "No Python with officebot was found on this computer: install Python 3 "
              "(python.org), then officebot with py -m pip install, or put a .venv with "
              "officebot in this folder."},
    "letters_declined": {"zh": "按你的选择，本次没有起草 {n} 封函件（下次运行时确认即可起草）",
                         "en": "as you chose, {n:the letter|the {n} letters} of this run "
                               "{n:was|were} not drafted (answer yes next time to draft "
                               "{n:it|them})"},
    "old_xls": {"zh": "文件夹中的 {name} 是旧的 .xls 工作簿，officebot 读不了：请在 Excel 中打开它，"
                      "另存为 .xlsx（Excel 工作簿）后再运行。",
                "en": "{name} in the folder is an old .xls workbook, which officebot cannot read: "
                      "open it in Excel, save it as .xlsx (Excel Workbook) and run again."},
    "letter_problems": {"zh": "{n} 封信函未能起草（见日志）",
                        "en": "{n} {n:letter|letters} could not be drafted (see the log)"},
    "problems": {"zh": "{n} 行登记有误，请核对台账中标出的行",
                 "en": "{n} {n:row has|rows have} mistakes; check the {n:row|rows} marked in "
                       "the register"},
    "written": {"zh": "台账已更新", "en": "the register was updated"},
    "side_copy": {"zh": "台账正被他人打开，结果已另存为 {name}",
                  "en": "the register was open elsewhere, so the result was saved as {name}"},
    "dry_run": {"zh": "未写回台账（试运行）", "en": "the register was not changed (dry run)"},
    "backup": {"zh": "已保存备份", "en": "backup saved"},
    "sep": {"zh": "；", "en": "; "},
    "first_sep": {"zh": "，", "en": ", "},
    "end": {"zh": "。", "en": "."},
    "user_error": {"zh": "未能完成：{error}", "en": "Not done: {error}"},
    "unexpected": {"zh": "出现意外错误，详情已记入 {log}：请把该文件发给维护人员。",
                   "en": "Something unexpected went wrong; the details are in {log}: send that "
                         "file to whoever maintains officebot."},
    "unexpected_nolog": {"zh": "出现意外错误：{error}", "en": "Something unexpected went wrong: {error}"},
    "press_key": {"zh": "按回车键关闭窗口…", "en": "Press Enter to close this window…"},
    "no_folder": {"zh": "找不到文件夹 {folder}：请检查路径，或先运行 officebot init 建立工作文件夹。",
                  "en": "The folder {folder} does not exist: check the path, or create it with "
                        "officebot init."},
    "no_register": {"zh": "文件夹 {folder} 中没有台账（.xlsx/.xlsm 文件）：请把投诉登记台账放进该文件夹，"
                          "或在 officebot.toml 的 [register] file 中写明文件名。",
                    "en": "There is no register (.xlsx/.xlsm file) in {folder}: put the complaint "
                          "register there, or name it in officebot.toml under [register] file."},
    "many_registers": {"zh": "文件夹 {folder} 中有多个 Excel 文件（{names}）：请在 officebot.toml 的 "
                             "[register] file 中写明哪一个是台账。",
                       "en": "The folder {folder} holds several Excel files ({names}): name the "
                             "register in officebot.toml under [register] file."},
    "named_register_missing": {"zh": "officebot.toml 的 [register] file 写的是 {name}，但文件夹 {folder} "
                                     "中没有这个文件：请改正文件名。",
                               "en": "officebot.toml names the register {name} under [register] "
                                     "file, but {folder} has no such file: correct the name."},
    # --- schedule ---------------------------------------------------------------------------
    "schedule.start": {"zh": "定时运行已启动：每个工作日 {times} 处理 {folder}。按 Ctrl+C 停止。",
                       "en": "Schedule started: every working day at {times} for {folder}. "
                             "Press Ctrl+C to stop."},
    "schedule.start_daily": {"zh": "定时运行已启动：每天 {times} 处理 {folder}。按 Ctrl+C 停止。",
                             "en": "Schedule started: every day at {times} for {folder}. "
                                   "Press Ctrl+C to stop."},
    "schedule.stopped": {"zh": "定时运行已停止。", "en": "Schedule stopped."},
    "schedule.run": {"zh": "{time} 定时运行：{result}", "en": "{time} scheduled run: {result}"},
    "schedule.skip": {"zh": "{day} 不是工作日，跳过。", "en": "{day} is not a working day; skipped."},
    "schedule.failed": {"zh": "定时运行失败（下次照常运行）：{error}",
                        "en": "Scheduled run failed (the next one still happens): {error}"},
    "schedule.ok": {"zh": "完成", "en": "done"},
    "schedule.exit": {"zh": "失败，退出码 {code}", "en": "failed with exit code {code}"},
    # --- letters: sender details and many letters at once -----------------------------------
    "letters.sender_missing": {
        "zh": "函件中没有寄件单位的{names}（officebot.toml 的 [letters] 中未填写，函件中已略去）",
        "en": "the letters leave out the sender's {names} (not set in officebot.toml, table "
              "[letters])"},
    "letters.sender_sep": {"zh": "、", "en": ", "},
    "letters.about_to_draft": {
        "zh": "本次将起草 {n} 封函件（多于 [letters] confirm_over 设定的 {limit} 封）",
        "en": "This run is about to draft {n} {n:letter|letters} (more than [letters] "
              "confirm_over = "
              "{limit})"},
    "letters.ask": {"zh": "现在起草这些函件吗？", "en": "Draft them now?"},
    "letters.going_on": {"zh": "（无人值守运行：照常起草）", "en": " (unattended run: drafting them)"},
    # --- doctor -----------------------------------------------------------------------------
    "doctor.title": {"zh": "officebot 检查 {folder}", "en": "officebot doctor for {folder}"},
    "doctor.ok": {"zh": "正常", "en": "ok"},
    "doctor.warn": {"zh": "注意", "en": "warning"},
    "doctor.fail": {"zh": "有问题", "en": "PROBLEM"},
    "doctor.ready": {"zh": "可以运行。", "en": "Ready to run."},
    "doctor.not_ready": {"zh": "有必须解决的问题（见上）。", "en": "Not ready: fix the problems above."},
    # --- init -------------------------------------------------------------------------------
    "init.done": {"zh": "工作文件夹已就绪：{folder}。双击 {launcher} 即可处理台账。",
                  "en": "The working folder is ready: {folder}. Double-click {launcher} to "
                        "process the register."},
    "init.bad_language": {
        "zh": "不认识语言 {language!r}：请填写 \"zh\"（中文）或 \"en\"（英文）",
        "en": "Language {language!r} is not known; use \"zh\" or \"en\""},
    "init.cannot_create": {
        "zh": "无法建立文件夹 {folder}（{why}）：请选择一个你有权写入的文件夹",
        "en": "Folder {folder} cannot be created ({why}); choose a folder you may write to"},
    "init.cannot_write": {
        "zh": "无法写入 {name}（没有写入权限）：请选择一个你有权写入的文件夹",
        "en": "Cannot write {name} (permission denied); choose a folder you may write to"},
    "init.not_sender_key": {
        "zh": "{key} 不是寄件单位信息的项目：请使用其中之一：{keys}",
        "en": "{key} is not a sender detail; use one of {keys}"},
    # --- run, report and letters summaries (batch.summary_lines) -------------------------
    "run.add_columns": {"zh": "新增状态列：{cols}", "en": "add status columns: {cols}"},
    "run.cells": {"zh": "将有 {cells} 个状态单元格（{rows} 行）发生变化",
                  "en": "{cells} status {cells:cell|cells} in {rows} {rows:row|rows} would "
                        "change"},
    "run.more": {"zh": "  ……另有 {n} 处", "en": "  ... and {n} more"},
    "run.replace": {"zh": "替换汇总表：{names}", "en": "replace summary sheets: {names}"},
    "run.add_sheets": {"zh": "新增汇总表：{names}", "en": "add summary sheets: {names}"},
    "run.head": {
        "zh": "{name}，工作表“{sheet}”：截至 {as_of} 判断 {n} 件案件；问题行 {problems} 行",
        "en": "{name}, sheet {sheet}: {n} {n:case|cases} judged as at {as_of}; {problems} "
              "problem {problems:row|rows}"},
    "run.level": {"zh": "第{k}级 {v} 件", "en": "level {k}: {v}"},
    "run.none": {"zh": "无", "en": "none"},
    "run.counts": {
        "zh": "逾期 {overdue} 件，即将到期 {due_soon} 件，重复投诉 {repeats} 件；升级：{levels}",
        "en": "overdue {overdue}, due soon {due_soon}, repeats {repeats}; escalated: {levels}"},
    "run.new_overdue": {"zh": "新增逾期：", "en": "newly overdue: "},
    "run.new_escalated": {"zh": "新增升级：", "en": "newly escalated: "},
    "run.letters": {"zh": "已起草函件 {n} 封{where}", "en": "letters drafted: {n}{where}"},
    "run.where": {"zh": "，位于 {folder}", "en": " in {folder}"},
    "run.letter_problem": {"zh": "函件问题：{p}", "en": "letter problem: {p}"},
    "run.dry": {"zh": "试运行：没有写入任何内容。正式运行将会：",
                "en": "dry run: nothing written. A real run would:"},
    "run.written": {"zh": "已写入 {path}{note}", "en": "written to {path}{note}"},
    "run.side": {"zh": "（另存副本：台账正在 Excel/WPS 中打开）",
                 "en": " (side copy: the register is open in Excel/WPS)"},
    "run.backup": {"zh": "备份：{path}", "en": "backup: {path}"},
    # --- officebot mail (officebot/mail/) -----------------------------------------------------
    "stage.mail": {"zh": "发送函件", "en": "Mailing letters"},
    "mail.start": {"zh": "正在为台账 {name} 发送函件 …", "en": "Mailing the letters of {name} …"},
    "mail.line": {"zh": "{case}  {customer}  <{to}>  {letter}",
                  "en": "{case}  {customer}  <{to}>  {letter}"},
    "mail.ask": {"zh": "以上 {n} 封邮件将发送给客户。确认发送吗？",
                 "en": "The messages above ({n}) will be sent to the customers. Send them?"},
    "mail.would": {"zh": "将发送：", "en": "would mail: "},
    "mail.sent_line": {"zh": "已发送 {case} {kind} → {to}，Message-ID {mid}",
                       "en": "sent {case} {kind} to {to}, Message-ID {mid}"},
    "mail.draft_line": {"zh": "草稿 {case} {kind} → {where}", "en": "draft {case} {kind} in {where}"},
    "mail.refused_line": {"zh": "被拒收 {case} <{to}>：{reply}（不再重试，除非 --retry-refused）",
                          "en": "refused {case} <{to}>: {reply} (not retried unless --retry-refused)"},
    "mail.refused_before_line": {"zh": "被拒收 {case} {kind} <{to}>（此前被拒，未重试；改正后用 --retry-refused）",
                                 "en": "refused {case} {kind} <{to}> (refused before, not retried; "
                                       "--retry-refused tries again)"},
    "mail.deferred_line": {"zh": "暂未发出 {case} <{to}>：{reply}（下次运行再试）",
                           "en": "not sent yet {case} <{to}>: {reply} (tried again next run)"},
    "mail.invalid_line": {"zh": "邮箱无效 {case}：{bad}（未联系服务器；请在台账中改正）",
                          "en": "invalid address {case}: {bad} (the server was not contacted; "
                                "correct it in the register)"},
    "mail.unknown_line": {"zh": "待核实 {case} {kind} <{to}>（{at} 交给服务器后中断，可能已送达；核实后可用 "
                                "--resend {case} 重新发送）",
                          "en": "check {case} {kind} <{to}> (interrupted at {at} after it was "
                                "handed over; it may have arrived; after checking, --resend "
                                "{case} sends it again)"},
    "mail.stale_line": {"zh": "待核实 {case} {kind}：{why}，重新起草后仍未更新，未发送",
                        "en": "check {case} {kind}: {why}, and drafting it again did not bring it "
                              "up to date, so it was not sent"},
    "mail.stale_facts": {"zh": "起草后案件内容有变", "en": "the case changed since it was drafted"},
    "mail.stale_old": {"zh": "函件日期已过期", "en": "its date is out of date"},
    "mail.stale_promise": {"zh": "函件承诺的日期已过", "en": "it promises a date already past"},
    "mail.unsendable_line": {"zh": "无法发送 {case} {kind}：{why}（其余函件照常发送）",
                             "en": "cannot mail {case} {kind}: {why} (the other letters went on)"},
    "mail.superseded_line": {"zh": "不再发送 {case} {kind}：已由同一案件的 {by} 函件取代",
                             "en": "not mailed {case} {kind}: the same case's {by} letter supersedes it"},
    "mail.held_line": {"zh": "暂缓 {case} {kind}（台账“暂缓发送”列有内容）",
                       "en": "held {case} {kind} (the register's Hold column is filled)"},
    "mail.nowhere_line": {"zh": "无法投递 {case} {kind}（台账中既无邮箱也无地址）",
                          "en": "not deliverable {case} {kind} (the register has neither e-mail "
                                "nor address)"},
    "mail.post_line": {"zh": "需邮寄 {case} {customer}：{letter}", "en": "to post {case} {customer}: {letter}"},
    "mail.sender_missing": {"zh": "寄件人信息未填写（{keys}）：草稿已生成供核对，但填写之前函件不会被发送",
                            "en": "the sender's details are not set ({keys}): the drafts are there "
                                  "to check, but no letter is sent until they are filled in"},
    "mail.problem": {"zh": "问题：{p}", "en": "problem: {p}"},
    "mail.no_pdf": {"zh": "未能生成 PDF，附上的是 Word 文件（{why}）",
                    "en": "no PDF could be made, so the Word files were attached ({why})"},
    "mail.reply_hint": {"zh": "以上问题可直接回复本邮件作答：写上您的评价和问题是否已解决即可，例如“满意，问题已解决”。",
                        "en": "You can answer these questions by replying to this e-mail: write "
                              "your rating and whether the problem is solved, for example "
                              "\"Satisfied, solved\"."},
    "mail.rebuilt_missing": {"zh": "邮件记录 logs/mail-ledger.jsonl 不在了，已按台账“函件发送”列重建（{n} 封记为已处理，不会重发）",
                             "en": "The mail journal logs/mail-ledger.jsonl was missing; it was "
                                   "rebuilt from the register's Letters mailed column ({n} "
                                   "{n:letter|letters} recorded, none is sent again)"},
    "mail.rebuilt_damaged": {"zh": "邮件记录 logs/mail-ledger.jsonl 已损坏（原文件已改名保留），已用其中可读的记录和台账“函件发送”列重建（从台账补回 {n} 封）",
                             "en": "The mail journal logs/mail-ledger.jsonl was damaged (kept under "
                                   "a new name); it was rebuilt from its readable lines and the "
                                   "register's Letters mailed column ({n} {n:letter|letters} taken "
                                   "from the register)"},
    "mail.summary": {"zh": "函件：{parts}", "en": "letters — {parts}"},
    "mail.n_sent": {"zh": "已发送 {n} 封", "en": "sent: {n}"},
    "mail.n_drafts": {"zh": "已存草稿 {n} 封", "en": "drafts: {n}"},
    "mail.n_would": {"zh": "将发送 {n} 封", "en": "would mail: {n}"},
    "mail.n_deferred": {"zh": "暂未发出 {n}", "en": "deferred: {n}"},
    "mail.n_refused": {"zh": "被拒收 {n}", "en": "refused: {n}"},
    "mail.n_check": {"zh": "待核实 {n}", "en": "to check: {n}"},
    "mail.n_post": {"zh": "需邮寄 {n}", "en": "to post: {n}"},
    "mail.n_nowhere": {"zh": "无法投递 {n}", "en": "not deliverable: {n}"},
    "mail.n_held": {"zh": "暂缓 {n}", "en": "held: {n}"},
    "mail.n_redrafted": {"zh": "发送前重新起草 {n}", "en": "drafted again first: {n}"},
    "mail.comma": {"zh": "，", "en": ", "},
    "mail.see": {"zh": "每封函件的情况见台账的“函件登记”表和 logs/mail.log",
                 "en": "each letter's details are in the register's Letters sheet (函件登记) and "
                       "logs/mail.log"},
    "mail.drafts": {"zh": "邮件草稿在 {where}，请核对后发送", "en": "the drafts are in {where}: check them, then send them"},
    "mail.nothing": {"zh": "没有需要发送的函件", "en": "no letter is waiting to be mailed"},
    "mail.dry": {"zh": "试运行：将处理 {n} 封函件，未写入或发送任何内容",
                 "en": "dry run: {n} {n:letter|letters} would be mailed; nothing was written "
                       "or sent"},
    "mail.not_confirmed": {"zh": "未确认，未发送任何函件", "en": "not confirmed, so nothing was sent"},
    "mail.unknown": {"zh": "{n} 封发送结果不明，请向客户或发件箱核实：{ids}（未送达的再用 --resend 编号 发送）",
                     "en": "letters that may or may not have gone out ({n}), check with the "
                           "customer or the sent folder: {ids} (--resend ID sends one that did "
                           "not arrive)"},
    "mail.invalid": {"zh": "{n} 封因邮箱无效未发，请在台账中改正邮箱：{ids}",
                     "en": "letters not sent because the address is invalid ({n}); correct it in "
                           "the register: {ids}"},
    "mail.unsendable": {"zh": "{n} 封无法生成邮件，其余已照常处理：{ids}（原因见 logs/mail.log）",
                        "en": "letters that could not be put into a message ({n}), the others went "
                              "on: {ids} (the reason is in logs/mail.log)"},
    "mail.stale": {"zh": "{n} 封函件已过时且重新起草未能更新，未发送：{ids}（见 logs/mail.log）",
                   "en": "out-of-date letters that drafting again did not bring up to date ({n}), "
                         "not sent: {ids} (see logs/mail.log)"},
    "mail.refused": {"zh": "{n} 封被邮件服务器拒收：{ids}（原因见“函件登记”和 logs/mail.log）",
                     "en": "letters the mail server refused ({n}): {ids} (the reasons are in "
                           "Letters and logs/mail.log)"},
    "mail.deferred": {"zh": "{n} 封暂未发出，下次运行再试：{ids}",
                      "en": "letters not sent yet ({n}), tried again next run: {ids}"},
    "mail.nowhere": {"zh": "{n} 封无法投递（台账中既无邮箱也无地址），请补上：{ids}",
                     "en": "letters that cannot be delivered ({n}: the register has neither e-mail "
                           "nor address), fill one in: {ids}"},
    "mail.sep_ids": {"zh": "、", "en": ", "},
    "mail.more_ids": {"zh": " 等（另 {n} 件）", "en": " and {n} more"},
    "mail.post_pdf": {"zh": "{n} 封待邮寄，见 {path}", "en": "letters to post ({n}) are in {path}"},
    "mail.post": {"zh": "{n} 封需邮寄（客户没有邮箱；--print 可合成一个 PDF）",
                  "en": "letters to post: {n} (no e-mail address; --print puts them in one PDF)"},
    "mail.register_later": {"zh": "台账正被打开，发送记录已保存在 logs/mail-ledger.jsonl，下次运行写入台账",
                            "en": "the register is open elsewhere: the record is kept in "
                                  "logs/mail-ledger.jsonl and written into it on the next run"},
    "mail.end": {"zh": "。", "en": "."},
    "mail.post_title": {"zh": "待邮寄函件清单（{day}）", "en": "Letters to post ({day})"},
    "mail.post_cols": {"zh": "序号|编号|客户|联系电话|地址|函件", "en": "No.|Case No.|Customer|Phone|Address|Letter"},
    "run.sep": {"zh": "，", "en": ", "},
    "run.clock_back": {
        "zh": "注意：本次判断时间 {as_of} 早于上次运行的判断时间 {last}（电脑时钟被调回，或指定了更早的 "
              "--as-of）；状态按 {as_of} 重新判断，运行记录照常按运行顺序追加一行",
        "en": "note: this run judges as at {as_of}, earlier than the last run's {last} (the "
              "computer's clock went back, or an earlier --as-of was given); statuses are judged "
              "again as at {as_of} and the run log gains its row in run order as usual"},
    "run.followup": {"zh": "回访：待回访 {due} 件，回访逾期 {overdue} 件，已回访 {done} 件",
                     "en": "follow-up: {due} due, {overdue} overdue, {done} done"},
    # --- command line ----------------------------------------------------------------------
    "as_of_beyond": {"zh": "--as-of 的时间 {value!r} 不在 officebot 能判断的日历范围内（1900-01-01 至 "
                           "{last}）；请写今天附近的时间。",
                     "en": "--as-of {value!r} lies outside the calendar officebot judges in "
                           "(1900-01-01 to {last}); give a time near today."},
    "bad_as_of": {"zh": "--as-of 的时间 {value!r} 无法识别：请写成 \"2026-11-22 09:00\"、"
                        "\"2026/11/22 09:00\" 或 \"2026年11月22日 9:00\"（只写日期表示当天 0 点）。",
                  "en": "--as-of {value!r} is not a time officebot can read: write it like "
                        "\"2026-11-22 09:00\", \"2026/11/22 09:00\" or \"2026年11月22日 9:00\" "
                        "(a date alone means midnight)."},
    "letters_none_drafted": {"zh": "已起草函件 0 封（无需起草，或之前都已起草；--redo 可重新起草）",
                             "en": "letters drafted: 0 (none needed, or all drafted before; "
                                   "--redo drafts them again)"},
    "report_not_xlsx": {"zh": "报告只能写成 Excel 工作簿：--out 请用 .xlsx 结尾的文件名，"
                              "而不是 {name}。",
                        "en": "The report is an Excel workbook: give --out a name ending in "
                              ".xlsx, not {name}."},
    # --- clock statuses: written into the register and read back (rules.CLOCK_WORDS) -------
    "status.pending": {"zh": "未到期", "en": "Not due"},
    "status.due_soon": {"zh": "即将到期", "en": "Due soon"},
    "status.overdue": {"zh": "已逾期", "en": "Overdue"},
    "status.on_time": {"zh": "按时完成", "en": "On time"},
    "status.late": {"zh": "超时完成", "en": "Late"},
    # --- escalation levels 0-5, as the register's language names them ----------------------
    "level.0": {"zh": "处理人", "en": "handler"},
    "level.1": {"zh": "班组长", "en": "team lead"},
    "level.2": {"zh": "部门分管领导", "en": "deputy department head"},
    "level.3": {"zh": "部门主要领导", "en": "department head"},
    "level.4": {"zh": "公司分管副总经理", "en": "deputy general manager"},
    "level.5": {"zh": "公司总经理", "en": "general manager"},
    # --- the clocks and how a due time was worked out (rules) ------------------------------
    "clock.reply": {"zh": "答复", "en": "reply"},
    "clock.close": {"zh": "结案", "en": "close"},
    "clock.first_response": {"zh": "首次响应", "en": "first response"},
    "clock.after_receipt_hours": {"zh": "受理后{n}小时", "en": "{n} h after receipt"},
    "clock.after_receipt_days": {"zh": "受理后{n}天", "en": "{n} {n:day|days} after receipt"},
    "clock.working_hours": {"zh": "{n}工作小时", "en": "{n} working {n:hour|hours}"},
    "clock.working_days": {"zh": "{n}个工作日", "en": "{n} working {n:day|days}"},
    "clock.skipped": {"zh": "；跳过 {ranges}", "en": "; skipped {ranges}"},
    "clock.range": {"zh": "{first} 至 {last}", "en": "{first} to {last}"},
    "clock.agreed": {"zh": "按约定答复时间", "en": "as agreed with the customer"},
    "clock.extended": {"zh": "已延期至此", "en": "extended to this time"},
    # --- the figures (kpis) ---------------------------------------------------------------
    "kpi.reply_rate": {"zh": "回复率", "en": "Reply rate"},
    "kpi.on_time_reply_rate": {"zh": "回复及时率", "en": "On-time reply rate"},
    "kpi.repeat_rate": {"zh": "重复投诉率", "en": "Repeat rate"},
    "kpi.satisfaction_rate": {"zh": "满意率", "en": "Satisfaction rate"},
    "kpi.followup_rate": {"zh": "回访率", "en": "Follow-up rate"},
    "kpi.blank_group": {"zh": "（未填）", "en": "(blank)"},
    # --- rows the reading pass cannot judge (register) -------------------------------------
    "problem.blank_id": {"zh": "编号为空", "en": "case number is blank"},
    "problem.duplicate_id": {"zh": "编号“{id}”与第 {row} 行重复",
                             "en": 'case number "{id}" repeats row {row}'},
    "problem.blank_received": {"zh": "受理时间为空", "en": "received time is blank"},
    "problem.bad_time": {"zh": "无法识别的时间：{value}", "en": "cannot read this time: {value}"},
    "problem.error_value": {"zh": "单元格是错误值 {value}", "en": "the cell holds the error {value}"},
    "problem.beyond_calendar": {
        "zh": "时间 {value} 离日历的尽头太近，算出的期限会超出 9999-12-31（或早于公元 1 年）",
        "en": "the time {value} is so near the calendar's end that its due times would fall "
              "past 9999-12-31 (or before year 1)"},
    "problem.too_long": {
        "zh": "单元格有 {n:,} 个字符，超过 Excel 单元格最多能存的 32,767 个字符",
        "en": "the cell holds {n:,} characters, more than the 32,767 an Excel cell holds"},
    # --- a register that cannot be used (register) -----------------------------------------
    "register.no_sheet": {
        "zh": "{name} 没有工作表；请在 Excel 中打开，确认台账在其中后重新保存",
        "en": "{name} has no worksheet; open it in Excel, check it holds the register, and "
              "save it again"},
    "register.no_header": {
        "zh": "{name} 中找不到同时有{need}的表头行（查看了工作表 {sheets} 的{rows}）",
        "en": "{name}: no header row with both {need} columns (looked at {rows} of sheet "
              "{sheets})"},
    "register.looked_rows": {"zh": "前 {rows} 行", "en": "the first {rows} rows"},
    "register.looked_row": {"zh": "第 {row} 行", "en": "row {row}"},
    "register.sheet_quoted": {"zh": "“{sheet}”", "en": '"{sheet}"'},
    "register.best_candidate": {
        "zh": "；最接近的是工作表“{sheet}”第 {row} 行，缺少{missing}（那一行的表头：{shown}）",
        "en": '; the closest, sheet "{sheet}" row {row}, lacks {missing} (headers there: '
              "{shown})"},
    "register.header_settings": {
        "zh": "；如果表头在更靠下的行，在 officebot.toml 的 [register] 中写 header_row = 行号；"
              "如果表头写法不同，在 [columns] 中写明，例如 received_at = \"日期\"",
        "en": "; if the header is further down, set header_row = its row number under "
              "[register] in officebot.toml; if the headers are worded differently, name "
              'them under [columns], e.g. received_at = "日期"'},
    # --- the run (batch) -------------------------------------------------------------------
    "run.sheet_name_taken": {
        "zh": "{label} 已有一个不是 officebot 生成的工作表“{sheet}”；请给它改名后再运行",
        "en": '{label} already has a sheet named "{sheet}" that officebot did not make; rename '
              "that sheet and run again"},
    "run.saved_meanwhile": {
        "zh": "{name} 在 officebot 运行期间被他人保存，什么也没有写入：请再运行一次",
        "en": "{name} was saved by someone else while officebot ran; nothing was written — "
              "run again"},
    "run.letters_folder_failed": {
        "zh": "未能在 {folder} 中起草任何函件（{why}）：请让该文件夹可写或腾出磁盘空间，下次运行会补起草",
        "en": "no letter could be drafted in {folder} ({why}); make the folder writable or "
              "free some space, the next run drafts them"},
    # --- settings (settings.py): "{file}: 'key' <what>", the what below -------------------
    "setting.file": {"zh": "设置文件 {path}", "en": "{path}"},
    "setting.where": {"zh": "设置文件 {path} 中的 {key}", "en": "{path}: {key}"},
    "setting.defaults": {"zh": "默认设置", "en": "the default settings"},
    "setting.bad": {"zh": "{file} 中的 {key} 有误：{what}，请改正后再运行", "en": "{file}: {key!r} {what}"},
    "setting.unknown": {"zh": "{file} 中有 officebot 不认识的设置项 {key}{near}：请对照 officebot init "
                              "生成的带注释的设置文件检查拼写",
                        "en": "{file}: unknown setting {key!r}{near}; check its spelling against "
                              "the commented default file (officebot init writes one)"},
    "setting.near": {"zh": "（是否应为 {near}？）", "en": " (did you mean {near!r}?)"},
    "setting.table": {"zh": "应写成一个表 [{key}]", "en": "must be a table [{key}]"},
    "setting.type": {"zh": "现为 {value!r}，应为{kind}，例如 {default!r}",
                     "en": "= {value!r} is not valid; it must be {kind} like {default!r}"},
    "setting.kind_flag": {"zh": " true 或 false", "en": "true or false"},
    "setting.kind_number": {"zh": "数字", "en": "a number"},
    "setting.kind_whole": {"zh": "整数", "en": "a whole number"},
    "setting.kind_list": {"zh": "列表（方括号）", "en": "a list"},
    "setting.kind_text": {"zh": "加引号的文字", "en": "a text in quotes"},
    "setting.range": {"zh": "{low} 至 {high} 之间的{kind}", "en": "{kind} from {low} to {high}"},
    "setting.above_to": {"zh": "大于 {low}、不超过 {high} 的{kind}",
                         "en": "{kind} more than {low}, at most {high}"},
    "setting.above": {"zh": "大于 {low} 的{kind}", "en": "{kind} more than {low}"},
    "setting.at_least": {"zh": "不小于 {low} 的{kind}", "en": "{kind} {low} or more"},
    "setting.number": {"zh": "现为 {value!r}，应为{wanted}",
                       "en": "= {value!r} is not valid; it must be {wanted}"},
    "setting.flag": {"zh": "现为 {value!r}，应为 true 或 false",
                     "en": "= {value!r} is not valid; it must be true or false"},
    "setting.choice": {"zh": "现为 {value!r}，只能是 {options_zh}", "en": "must be {options_en}"},
    "setting.time": {"zh": '现为 {value!r}，应为 "09:00" 这样的时间', "en": 'must be a time like "09:00"'},
    "setting.date": {"zh": '其中的 {value!r} 不是 "2026-12-31" 这样的日期',
                     "en": 'holds {value!r}, not a date like "2026-12-31"'},
    "setting.column_field": {"zh": "不是 officebot 认识的字段，可用的字段有：{fields_zh}",
                             "en": "is not a field officebot knows; fields are: {fields_en}"},
    "setting.column_header": {"zh": "应为加引号的表头文字", "en": "must be the header text in quotes"},
    "setting.clock_override": {"zh": "应写成 {{ reply_hours = 24, close_days = 5 }} 这样",
                               "en": "must be like {{ reply_hours = 24, close_days = 5 }}"},
    "setting.day_end": {"zh": "应晚于 working_time.day_start",
                        "en": "must be later than working_time.day_start"},
    "setting.level": {"zh": "现为 {value!r}，应为 0 至 5 的级别", "en": "must be a level from 0 to 5"},
    "setting.people": {"zh": '应为第 1 至 5 级负责人姓名的列表，例如 ["王组长", ...]',
                       "en": 'must be a list of names for levels 1-5, like ["王组长", ...]'},
    "setting.answers": {"zh": '应为加引号的答案列表，例如 ["满意"]',
                        "en": "must be a list of answers in quotes"},
    "setting.rules": {"zh": "应为若干 [[letters.rules]] 表，每个写明 kind 和 when",
                      "en": "must be a list of [[letters.rules]] tables, each with kind and when"},
    "setting.sender": {"zh": '现为 {value!r}，应为加引号的文字；不填写时写 ""',
                       "en": 'must be text in quotes, or "" to leave it out of the letters'},
    "setting.rule": {"zh": "应为写明 kind 和 when 的表", "en": "must be a table with kind and when"},
    "setting.rule_key": {"zh": "不是规则的设置项，可用的有：{keys_zh}",
                         "en": "is not a rule key; keys are: {keys_en}"},
    "setting.rule_kind": {"zh": "只能是 {kinds_zh}", "en": "must be one of {kinds_en}"},
    "setting.rule_when": {"zh": "应为条件的列表，条件可用：{conditions_zh}",
                          "en": "must be a list of conditions from: {conditions_en}"},
    "setting.names": {"zh": '应为名称的列表，例如 ["严重", "危机"]',
                      "en": 'must be a list of names, like ["严重", "危机"]'},
    "setting.rule_language": {"zh": '只能含 "zh" 和 "en"', "en": 'may hold only "zh" and "en"'},
    "setting.template": {"zh": '应为不带 _zh.docx 的文件名，例如 "apology_vip"',
                         "en": 'must be a file name without _zh.docx, like "apology_vip"'},
    "setting.skip": {"zh": "应为 true 或 false", "en": "must be true or false"},
    "setting.one_line": {"zh": "只能写成一行：请删去其中的换行",
                         "en": "must be one line: remove the line break in it"},
    "setting.addresses": {"zh": '其中的 {value!r} 不是电子邮件地址：应写成 ["boss@example.cn"] 这样的地址列表',
                          "en": 'holds {value!r}, which is not an e-mail address; write a list '
                                'like ["boss@example.cn"]'},
    "setting.pairs": {"zh": '应写成 [{{{a} = "…", {b} = "…"}}] 这样的列表',
                      "en": 'must be a list like [{{{a} = "...", {b} = "..."}}]'},
    "setting.colour": {"zh": '现为 {value!r}，应为 "FFC7CE" 这样的六位十六进制颜色',
                       "en": 'must be a colour like "FFC7CE" (six hex digits)'},
    "setting.date_format": {"zh": '应为 "yyyy-mm-dd hh:mm" 这样的 Excel 数字格式',
                            "en": 'must be an Excel number format like "yyyy-mm-dd hh:mm"'},
    "setting.not_time": {"zh": '{label} 中的 {value!r} 不是时间：请写成 "08:30" 这样',
                         "en": '{label}: {value!r} is not a time; write it like "08:30"'},
    "setting.no_times": {"zh": '{label} 是空的：请至少写一个时间，例如 "08:30"',
                         "en": '{label} is empty; give at least one time like "08:30"'},
    "setting.missing": {"zh": "设置文件 {path} 不存在：请用 officebot init 生成，或不写该选项",
                        "en": "Settings file {path} does not exist; create it with 'officebot "
                              "init' or leave the option out"},
    "setting.unreadable": {"zh": "设置文件 {path} 无法读取：请把它另存为 UTF-8 编码的文本",
                           "en": "Settings file {path} cannot be read ({error}); save it as UTF-8 "
                                 "text"},
    "setting.not_toml": {"zh": "设置文件 {path} 的格式有误（{error}）：请改正该行，或从带注释的默认设置文件中复制",
                         "en": "Settings file {path} is not valid TOML ({error}); fix that line or "
                               "copy it from the commented default file"},
    # --- --help in Chinese (the English is each command's docstring and option help) ------
    "help.usage": {"zh": "用法：", "en": "Usage: "},
    "help.options": {"zh": "选项", "en": "Options"},
    "help.commands": {"zh": "命令", "en": "Commands"},
    "help.cli": {"zh": "officebot：判断投诉登记台账，把状态写回台账，起草函件。"},
    "help.check": {"zh": "读取台账 REGISTER，判断每一件投诉，打印报告（或 --json）。不写入任何文件。\n\n"
                         "示例：officebot check 投诉登记台账.xlsx --as-of \"2026-03-05 14:20\""},
    "help.run": {"zh": "判断台账 REGISTER，起草函件，把状态列和汇总表写回台账。\n\n"
                       "示例：officebot run 投诉登记台账.xlsx --as-of \"2026-03-05 14:20\" --dry-run"},
    "help.letters": {"zh": "为台账 REGISTER 中需要函件的投诉起草函件，放在 letters/年-月/ 下，并记入台账的函件列。"
                           "\n\n示例：officebot letters 投诉登记台账.xlsx --case TS-2026-031 --pdf"},
    "help.mail": {"zh": "寄出台账 REGISTER 已起草的函件：在 outbox/（或 IMAP 草稿箱）中生成 .eml 草稿，"
                        "或用 --send 发送。尚未起草的函件会先起草。\n\n"
                        "示例：officebot mail 投诉登记台账.xlsx --send"},
    "help.report": {"zh": "把台账 REGISTER 的汇总表（指标、清单、图表）写成另一个新的工作簿。\n\n"
                          "示例：officebot report 投诉登记台账.xlsx --out 月报.xlsx"},
    "help.init": {"zh": "把文件夹 FOLDER 建成可以直接使用的工作文件夹：设置、模板、示例台账、启动器。\n\n"
                        "不会覆盖已有的设置、模板或台账；寄件人选项写入设置。在终端中运行时，init 会询问"
                        "仍为空的寄件人信息（直接回车表示不填，函件中就不写这一项）。\n\n"
                        "示例：officebot init 投诉处理 --language zh --company \"某某物业服务中心\" "
                        "--hotline 0571-88886666"},
    "help.launch": {"zh": "启动器运行的内容：处理文件夹 FOLDER 中的台账（默认当前文件夹）。\n\n"
                          "显示进度和一句结果，日志写入 FOLDER/logs/。\n\n"
                          "示例：officebot launch \"D:/投诉 办公室\""},
    "help.schedule": {"zh": "每个工作日在设定的时间对文件夹 FOLDER 运行一次，直到按 Ctrl+C。\n\n"
                            "示例：officebot schedule --at 08:30 --at 16:00 \"D:/投诉 办公室\""},
    "help.doctor": {"zh": "检查已安装的组件，以及文件夹 FOLDER 能否运行（不能运行时退出码为 1）。\n\n"
                          "示例：officebot doctor \"D:/投诉 办公室\""},
    "help.option.help": {"zh": "显示本帮助并退出。"},
    "help.option.version": {"zh": "显示版本并退出。"},
    "help.option.as_of": {"zh": "按这个本地时间判断，而不是现在（也可写成 \"2026/11/22 09:00\" 或 "
                                "\"2026年11月22日 9:00\"）。"},
    "help.option.settings_path": {"zh": "设置文件（默认：台账旁边的 officebot.toml）。"},
    "help.option.as_json": {"zh": "打印供程序使用的 JSON 文档。"},
    "help.option.dry_run": {"zh": "只列出会改动什么，不写入任何文件。"},
    "help.option.no_letters": {"zh": "本次运行不起草函件。"},
    "help.option.wait_minutes": {"zh": "工作簿正在 Excel/WPS 中打开时，最多重试这么多分钟。"},
    "help.option.side_copy": {"zh": "工作簿正被打开时，改为在旁边写入“名称 (officebot).xlsx”。"},
    "help.option.case_ids": {"zh": "只处理这件投诉；可重复写多个（默认：全部）。"},
    "help.option.kinds": {"zh": "只处理这一类函件；可重复写多个（默认：全部类别）。"},
    "help.option.redo": {"zh": "重新起草以前起草过的函件（手工改过的函件不会重写）。"},
    "help.option.pdf": {"zh": "同时用 LibreOffice 生成 PDF。"},
    "help.option.send": {"zh": "通过 SMTP 服务器发送（默认：生成草稿，由人核对）。"},
    "help.option.yes": {"zh": "与 --send 一起用：发送前不再询问（定时运行时）。"},
    "help.option.print_post": {"zh": "把需邮寄的函件（没有电子邮箱）合成一个 PDF，放在 outbox/ 中。"},
    "help.mail.dry_run": {"zh": "只列出会寄出什么，不写入也不发送。"},
    "help.option.resend": {"zh": "再次寄出这件投诉的函件（在核实结果不明的一封之后）。"},
    "help.option.retry_refused": {"zh": "重试服务器拒收的函件。"},
    "help.option.smtp_host": {"zh": "SMTP 服务器（覆盖 [mail] host）。"},
    "help.option.smtp_port": {"zh": "SMTP 端口（[mail] port）。"},
    "help.option.smtp_security": {"zh": "ssl、starttls 或 none（[mail] security）。"},
    "help.option.sender": {"zh": "寄件人地址（[mail] from）。"},
    "help.option.out_path": {"zh": "要写出的新工作簿（.xlsx）。"},
    "help.option.language": {"zh": "该文件夹中消息和报表的语言（默认 zh；已有的设置文件保持原样）。"},
    "help.option.company": {"zh": "中文函件中的寄件单位名称（[letters] company_zh）。"},
    "help.option.company_en": {"zh": "英文函件中的寄件单位名称（[letters] company_en）。"},
    "help.option.address": {"zh": "中文函件中的寄件地址（[letters] address_zh）。"},
    "help.option.address_en": {"zh": "英文函件中的寄件地址（[letters] address_en）。"},
    "help.option.hotline": {"zh": "函件中写的服务热线（[letters] hotline）。"},
    "help.option.email": {"zh": "函件中写的服务邮箱（[letters] email）。"},
    "help.option.pause": {"zh": "窗口关闭前等待回车（默认：仅在 Windows 上；无人操作时从不等待）。"},
    "help.launch.mail": {"zh": "寄出已起草的函件（officebot mail，按 [mail] mode 设定的方式），而不是每日运行。"},
    "help.option.times": {"zh": "在每天的这个时间运行；可重复写多个（默认：设置中的 [schedule] times）。"},
    # --- escalation people ----------------------------------------------------------------
    "people_not_set": {
        "zh": "设置中的 [escalation.people] 还没有填写各级负责人的姓名，升级对象暂以职务称呼；"
              "请在 officebot.toml 中按部门填写。",
        "en": "[escalation.people] in the settings names no one yet, so escalations name job "
              "titles; fill in the people per department in officebot.toml."},
    # --- files in the shared folder (files.py, workbook/safety.py) --------------------------
    "files.not_a_folder": {"zh": "{folder} 中的 {rel} 是文件而不是文件夹；请改名或删除后再运行",
                           "en": "{rel} in {folder} is a file, not a folder; rename or remove "
                                 "it and run again"},
    "files.folder_link_out": {
        "zh": "{folder} 中的 {rel}/ 是指向工作文件夹之外（{real}）的链接，officebot 只在工作文件夹内"
              "写入；请把该链接换成真正的文件夹后再运行",
        "en": "{rel}/ in {folder} is a link to {real}, outside the working folder, and "
              "officebot writes only inside it; replace the link by a real folder and run again"},
    "files.register_link_out": {
        "zh": "{name} 是指向其文件夹 {folder} 之外（{real}）的链接，officebot 只在工作文件夹内写入；"
              "请把台账本身放进该文件夹，或在台账所在的文件夹中运行 officebot",
        "en": "{name} is a link to {real}, outside its folder {folder}, and officebot writes "
              "only inside the working folder; put the register itself in the folder, or run "
              "officebot in the folder where it lies"},
    "files.out_is_register": {
        "zh": "--out 指向的正是台账 {name}，报告绝不能覆盖台账；请为报告另取文件名",
        "en": "--out names the register {name} itself, which a report must never replace; "
              "give the report another file name"},
    "files.out_exists": {"zh": "{folder} 中已有 {name}；请另取文件名，或加 --force 替换它",
                         "en": "{name} already exists in {folder}; choose another file name, "
                               "or add --force to replace it"},
    "files.not_written": {"zh": "无法在 {folder} 中写入 {name}", "en": "{name} could not be "
                          "written in {folder}"},
    "files.not_written_unnamed": {"zh": "officebot 无法写入所需的文件",
                                  "en": "officebot could not write a file it needs"},
    "files.write_link": {
        "zh": "{what}：该名称处是一个链接（或其他文件），officebot 绝不经由链接写入；原文件未作任何"
              "改动——请删除它后再运行",
        "en": "{what}: a symbolic link (or another file) stands at that name, and officebot "
              "never writes through one; nothing was changed — remove it and run again"},
    "files.write_failed": {
        "zh": "{what}（{why}）；原文件未作任何改动——请腾出磁盘空间或让该文件夹可写入后再运行",
        "en": "{what} ({why}); nothing was changed — free some space on the drive or make the "
              "folder writable, then run again"},
    "files.replace_held": {"zh": "{name} 无法替换（另一个程序占用着它）；请关闭后再运行，或使用 "
                                 "--side-copy",
                           "en": "{name} could not be replaced (another program holds it); "
                                 "close it and run again, or use --side-copy"},
    "files.lock_held": {"zh": "另一次 officebot 运行持有 {path}；请等它完成后再运行",
                        "en": "another officebot run holds {path}; wait until it has finished "
                              "and run again"},
    "safety.open_in_excel": {
        "zh": "{name} 正被{who}用 Excel 或 WPS 打开（锁定文件 {owner}）；请关闭后再运行，或使用 "
              "--side-copy（如确实无人打开，可删除 {owner}）",
        "en": "{name} is open{by} in Excel or WPS (owner file {owner}); close it and run again, "
              "or use --side-copy (if nobody has it open, delete {owner})"},
    "safety.someone": {"zh": "他人", "en": ""},
    "safety.held_by_program": {
        "zh": "{name} 正被其他程序锁定（LibreOffice、同步或备份软件）；请关闭后再运行，或使用 --side-copy",
        "en": "{name} is locked by another program (LibreOffice, a sync or backup tool); close "
              "it and run again, or use --side-copy"},
    "safety.not_writable": {
        "zh": "{name} 无法写入（正被 Excel/WPS 打开，或为只读）；请关闭后再运行，或使用 --side-copy",
        "en": "{name} cannot be opened for writing (open in Excel/WPS, or read-only); close it "
              "and run again, or use --side-copy"},
    "safety.waited_minutes": {"zh": "（已等待 {n:g} 分钟）", "en": " (waited {n:g} min)"},
    "safety.backup_failed": {
        "zh": "无法在 {folder} 中备份 {name}（{why}）；请腾出磁盘空间或让该文件夹可写入后再运行",
        "en": "cannot make a backup of {name} in {folder} ({why}); free some space or make the "
              "folder writable and run again"},
    "safety.read_back_failed": {
        "zh": "新工作簿回读校验未通过（{error}）；原台账未作任何改动——请把台账发给维护人员",
        "en": "the new workbook did not read back correctly ({error}); nothing was changed — "
              "please report this with the register"},
    "safety.folder_not_writable": {
        "zh": "无法在文件夹 {folder} 中写入（{why}）；请让该文件夹可写入后再运行",
        "en": "officebot cannot write in {folder} ({why}); make the folder writable and run "
              "again"},
    "safety.run_busy": {
        "zh": "另一次 officebot 运行（进程 {pid}，开始于 {since}）正在处理 {name}{waited}；请等它完成后再运行",
        "en": "another officebot run (process {pid}, started {since}) is working on "
              "{name}{waited}; wait until it has finished and run again"},
    "safety.waited_seconds": {"zh": "（已等待 {n:g} 秒）", "en": " (waited {n:g} s)"},
    # --- doctor: the checks' names and details (officebot doctor) ------------------------
    "doctor.name.officebot": {"zh": "officebot", "en": "officebot"},
    "doctor.name.python": {"zh": "Python", "en": "Python"},
    "doctor.name.soffice": {"zh": "LibreOffice（转 PDF）", "en": "LibreOffice (for PDF)"},
    "doctor.name.font": {"zh": "中文字体", "en": "Chinese font"},
    "doctor.name.settings": {"zh": "设置文件", "en": "settings"},
    "doctor.name.register": {"zh": "台账", "en": "register"},
    "doctor.name.write": {"zh": "写入权限", "en": "write permission"},
    "doctor.name.holidays": {"zh": "节假日数据", "en": "holiday data"},
    "doctor.name.templates": {"zh": "函件模板", "en": "letter templates"},
    "doctor.name.pdf_fonts": {"zh": "PDF 替代字体", "en": "PDF font substitutes"},
    "doctor.name.sender": {"zh": "函件寄件信息", "en": "letter sender details"},
    "doctor.name.launcher": {"zh": "启动文件", "en": "launcher"},
    "doctor.name.people": {"zh": "升级负责人", "en": "escalation people"},
    "doctor.soffice_missing": {
        "zh": "未找到：函件只生成 Word 文件，不能转 PDF；安装 LibreOffice 后可转 PDF",
        "en": "not found: letters stay Word files; install LibreOffice to get PDFs"},
    "doctor.font_missing": {
        "zh": "未找到：PDF 中的中文可能显示为方框；请安装中文字体（如 Noto Sans CJK）",
        "en": "none found: Chinese text in PDFs may show as boxes; install a CJK font such as "
              "Noto Sans CJK"},
    "doctor.settings_defaults": {"zh": "未找到 officebot.toml，使用默认设置",
                                 "en": "no officebot.toml here, using the defaults"},
    "doctor.register_unchecked": {"zh": "设置文件有误，未检查台账",
                                  "en": "not checked: the settings are wrong"},
    "doctor.people_set": {"zh": "已设置", "en": "set"},
    "doctor.templates_found": {"zh": "{n} 个（templates/）", "en": "{n} in templates/"},
    "doctor.templates_none": {"zh": "templates/ 中没有模板：运行 officebot init 复制默认模板",
                              "en": "none in templates/: run officebot init to copy the defaults"},
    "doctor.font_installed": {"zh": "（已安装）", "en": " (installed)"},
    "doctor.font_not_installed": {"zh": "（未安装）", "en": " (not installed)"},
    "doctor.fonts_sep": {"zh": "；", "en": "; "},
    "doctor.sender_fix": {"zh": "；可运行 officebot init --company … --hotline … 填写",
                          "en": "; fill them in with officebot init --company ... --hotline ..."},
    "doctor.sender_set": {"zh": "已全部填写", "en": "all set"},
    "doctor.launcher_missing": {"zh": "没有 {name}：运行 officebot init 生成",
                                "en": "no {name}: run officebot init to make it"},
    "doctor.launcher_not_executable": {
        "zh": "{name} 没有可执行权限（文件夹经 zip 压缩或从共享盘复制后常会丢失），"
              "双击时系统不会运行它：在终端运行 chmod +x \"{path}\"，或再运行一次 "
              "officebot init",
        "en": "{name} has lost its executable bit (copying the folder as a zip or "
              "over a shared drive often drops it), so double-clicking will not run it: "
              "run chmod +x \"{path}\" in a terminal, or officebot init again"},
    "doctor.register_detail": {
        "zh": "{name}：工作表“{sheet}”，{cases} 件，{problems} 行有误",
        "en": "{name}: sheet {sheet!r}, {cases} {cases:case|cases}, {problems} problem "
              "{problems:row|rows}"},
    "doctor.register_maybe_open": {"zh": "；注意：有人可能正在 Excel 中打开它",
                                   "en": "; note: someone may have it open in Excel"},
    "doctor.register_read_only": {"zh": "；文件只读，无法写回",
                                  "en": "; the file is read-only, officebot cannot write it"},
    "doctor.folder_missing": {"zh": "文件夹 {folder} 不存在", "en": "folder {folder} does not exist"},
    "doctor.folder_not_writable": {
        "zh": "无法在 {folder} 中写文件（{why}）：请让管理员开放写入权限",
        "en": "cannot write in {folder} ({why}): ask for write permission"},
    "doctor.holidays_not_installed": {"zh": "未安装 chinesecalendar",
                                      "en": "chinesecalendar is not installed"},
    "doctor.holidays_next_year": {
        "zh": "chinesecalendar {version} 还没有 {year} 年的数据：国务院公布后请运行 "
              "pip install -U chinesecalendar",
        "en": "chinesecalendar {version} has no data for {year} yet: run "
              "pip install -U chinesecalendar once it is published"},
    "doctor.holidays_this_year": {
        "zh": "chinesecalendar {version} 没有 {year} 年的数据：请运行 "
              "pip install -U chinesecalendar",
        "en": "chinesecalendar {version} has no data for {year}: run "
              "pip install -U chinesecalendar"},
    # --- errors: the Chinese said before an error's English when it has no sentence of its own
    "error.default": {"zh": "未能完成，请按括号中的说明处理后再运行",
                      "en": "could not finish; do as the English says and run again"},
    "error.register": {"zh": "台账无法使用，请按括号中的说明处理后再运行",
                       "en": "the register cannot be used; do as the English says and run again"},
    "error.settings": {"zh": "设置有误，请按括号中的说明改正 officebot.toml 后再运行",
                       "en": "a setting is wrong; correct officebot.toml as the English says and "
                             "run again"},
    "error.workbook_locked": {"zh": "工作簿正被占用，请关闭后再运行，或使用 --side-copy",
                              "en": "the workbook is in use; close it and run again, or use "
                                    "--side-copy"},
    "error.usage": {"zh": "命令参数有误，请按括号中的说明改正后再运行",
                    "en": "the command's arguments are wrong; correct them as the English says "
                          "and run again"},
    "error.run_locked": {"zh": "另一次 officebot 运行正在处理该台账，请等它完成后再运行",
                         "en": "another officebot run is working on the register; wait until it "
                               "has finished and run again"},
    "error.template": {"zh": "函件模板有误，请按括号中的说明改正模板后再运行",
                       "en": "a letter template is wrong; correct it as the English says and run "
                             "again"},
    "error.damaged": {
        "zh": "{label} 已损坏{what}；请从 backups 文件夹恢复，或在 Excel 中重新保存后再运行",
        "en": "{label} is damaged{what}; restore it from backups/ or re-save it in Excel"},
    # --- durations: how long, as people say it ------------------------------------------
    "duration.under_hour": {"zh": "不到1小时", "en": "< 1 h"},
    "duration.hours": {"zh": "{hours}小时", "en": "{hours} h"},
    "duration.days": {"zh": "{days}天", "en": "{days} d"},
    "duration.days_hours": {"zh": "{days}天{hours}小时", "en": "{days} d {hours} h"},
    # --- package: a workbook package refused ----------------------------------------------
    "package.too_large": {
        "zh": "{label} 已损坏或不是正常的工作簿（{part} {detail}）；请从 backups 文件夹恢复，"
              "或在 Excel 中重新保存后再运行（上限见 officebot.toml 的 [package]）",
        "en": "{label} is damaged or not a real workbook ({part} {detail}); restore it from "
              "backups/ or re-save it in Excel (limits: [package] in officebot.toml)"},
    "package.inflates_beyond": {"zh": "解压后超过上限", "en": "inflates beyond the limit"},
    "package.inflates_to": {"zh": "解压后将有 {size:,} MB，超过 {limit:,} MB",
                            "en": "would inflate to {size:,} MB, over {limit:,} MB"},
    "package.ratio": {"zh": "压缩比 {ratio:,.0f}:1，超过 {limit:,.0f}:1",
                      "en": "is compressed {ratio:,.0f}:1, over {limit:,.0f}:1"},
    "package.entities": {
        "zh": "{label} 含有带 DOCTYPE 或实体声明的 XML（{part}），正常的工作簿没有这种内容，"
              "officebot 不予读取；请在 Excel 中重新保存后再运行",
        "en": "{label} holds XML with a DOCTYPE or entity declarations ({part}), which no real "
              "workbook has and officebot does not read; re-save it in Excel"},
    "package.encoding": {
        "zh": "{label} 的部件（{part}）使用了 officebot 无法识别的编码（{name}）；"
              "请在 Excel 中重新保存后再运行",
        "en": "{label} has a part ({part}) written in an encoding officebot cannot read ({name}); "
              "re-save it in Excel"},
    # --- xlsx: the register's file cannot be opened -----------------------------------------
    "xlsx.missing": {"zh": "找不到 {path}；请检查文件名和所在文件夹",
                     "en": "{path} does not exist; check the file name and folder"},
    "xlsx.is_folder": {"zh": "{path} 是文件夹，不是工作簿；请指定台账的 .xlsx 文件",
                       "en": "{path} is a folder, not a workbook; give the register's .xlsx file"},
    "xlsx.password": {"zh": "{name} 设有密码；请在 Excel 中取消密码（文件 > 信息 > "
                            "保护工作簿）后再运行",
                      "en": "{name} is password-protected; remove the password in "
                            "Excel (File > Info > Protect Workbook) and run again"},
    "xlsx.old_xls": {"zh": "{name} 是旧的 .xls 工作簿；请在 Excel 中另存为 .xlsx 后再运行",
                     "en": "{name} is an old .xls workbook; open it in Excel and save it "
                           "as .xlsx, then run again"},
    "xlsx.not_excel": {"zh": "{name} 不是 Excel 工作簿（.xlsx 或 .xlsm）；请把台账保存为 .xlsx "
                             "后再运行",
                       "en": "{name} is not an Excel workbook (.xlsx or .xlsm); save the "
                             "register as .xlsx and run again"},
    "xlsx.not_excel_inside": {"zh": "{name} 的内容不是 Excel 工作簿；请把台账保存为 .xlsx 后再运行",
                              "en": "{name} is not an Excel workbook inside; save the register "
                                    "as .xlsx and run again"},
    "xlsx.no_sheet": {"zh": "{name} 没有名为“{sheet}”的工作表（现有：{names}）；"
                            "请改正 officebot.toml 中 [register] 的 sheet",
                      "en": "{name} has no sheet named \"{sheet}\"; sheets are: {names}"
                            "; fix [register] sheet in officebot.toml"},
    "xlsx.outside_row": {"zh": "第 {row:,} 行", "en": "row {row:,}"},
    "xlsx.outside_cell": {"zh": "单元格 {cell}", "en": "cell {cell}"},
    "xlsx.outside_grid": {
        "zh": "{label}：登记表有超出 Excel 表格范围（A1:XFD1048576）的{where}，Excel 无法显示；"
              "请删除它或从 backups 文件夹恢复台账后再运行",
        "en": "{label}: the register sheet has {where}, outside Excel's grid (A1:XFD1048576), "
              "which Excel cannot show; delete it or restore the register from backups/, then "
              "run again"},
    # --- mail/transport: the mail and IMAP servers ----------------------------------------
    "error.mail_server": {"zh": "邮件服务器无法使用，请按括号中的说明处理后再运行",
                          "en": "the mail server cannot be used; do as the English says and run again"},
    "mail.smtp_unreachable": {
        "zh": "无法连接邮件服务器 {where}（{why}），未发送任何函件；请检查 "
              "[mail] 中的host、port、security 和网络",
        "en": "The mail server {where} cannot be reached ({why}), so nothing was sent;"
              " check [mail] host, port and security, and the network"},
    "mail.smtp_no_password": {
        "zh": "没有邮箱账号 {user} 的密码（授权码），未发送任何函件；请设置环境变量 "
              "{env}，或用“keyring set {service} {user}”保存",
        "en": "No password for the mail account {user}, so nothing was sent; set the "
              "environment variable {env} or store it with \"keyring set {service} {user}\""},
    "mail.smtp_login_refused": {
        "zh": "邮件服务器 {where} 拒绝了 {user} 的登录，未发送任何函件；"
              "请检查 [mail] user 和密码（很多邮箱要用授权码而不是网页登录密码）",
        "en": "The mail server {where} refused the login of {user} ({why}), so nothing "
              "was sent; check [mail] user and the password (for many providers the authorisation"
              " code, not the web password)"},
    "mail.smtp_login_failed": {
        "zh": "登录邮件服务器 {where} 失败（{why}），未发送任何函件；请检查 "
              "[mail] security 和 user",
        "en": "Logging in to the mail server {where} failed ({why}), so nothing was sent;"
              " check [mail] security and user"},
    "mail.sender_refused": {
        "zh": "邮件服务器拒绝了发件人 {sender}（{code} {reply}）"
              "；请检查 [mail] from（很多邮箱只允许用本账号地址发信）",
        "en": "The mail server refused the sender {sender} ({code} {reply}); check [mail] "
              "from (many servers send only from the account's own address)"},
    "mail.smtp_disconnected": {
        "zh": "邮件服务器断开了连接（{why}）；尚未发送的函件留待下次运行",
        "en": "The mail server closed the connection ({why}); the letters not yet sent "
              "stay for the next run"},
    "mail.imap_unreachable": {
        "zh": "无法连接 IMAP 服务器 {where}（{why}），未生成草稿；请检查 "
              "[mail] 中的 imap_host、imap_port 和 imap_security",
        "en": "The IMAP server {where} cannot be reached ({why}), so no draft was made;"
              " check [mail] imap_host, imap_port and imap_security"},
    "mail.imap_login_refused": {
        "zh": "IMAP 服务器 {where} 拒绝了 {user} 的登录，未生成草稿；"
              "请检查 [mail] imap_user 和密码",
        "en": "The IMAP server {where} refused the login of {user} ({why}), so no draft "
              "was made; check [mail] imap_user and the password ({imap_env} or {env},"
              " or the keyring)"},
    "mail.imap_append_failed": {
        "zh": "IMAP 服务器未能把草稿存入 {folder}；请检查 [mail] "
              "drafts_folder",
        "en": "The IMAP server did not take a draft into {folder} ({why}); check [mail] "
              "drafts_folder"},
    # --- mail: the journal, the mail templates and the run ------------------------------
    "mail.journal_unreadable": {
        "zh": "无法读取邮件记录 {path}；请检查文件夹权限",
        "en": "The mail journal {path} cannot be read ({why}); check the folder's permissions"},
    "mail.journal_busy": {
        "zh": "另一个 officebot 正在从本文件夹发送函件；请等它完成后再运行",
        "en": "Another officebot run is mailing letters from this folder right now; wait "
              "until it has finished and run again"},
    "mail.template_unreadable": {
        "zh": "邮件模板 {path} 无法读取；请存为 UTF-8 文本",
        "en": "Mail template {path} cannot be read ({exc}); save it as UTF-8 text"},
    "mail.template_no_subject": {
        "zh": "邮件模板 {path} 的第一行应是“主题：……”",
        "en": "Mail template {path} must start with a subject line like \"Subject: ...\" "
              "or \"主题：...\""},
    "mail.template_bad": {
        "zh": "邮件模板 {path} 的占位符有误",
        "en": "Mail template {path} cannot be read as a template ({exc}); check its {{{{ "
              "}}}} placeholders"},
    "mail.template_unknown": {
        "zh": "邮件模板 {path} 中的 {{{{ {name} }}}} 不是可用的占位符",
        "en": "Mail template {path} uses {{{{ {name} }}}}, which is not a mail placeholder; use "
              "one of {known}"},
    "mail.plaintext_refused": {
        "zh": "[mail] {key} = \"none\" 会把 {user} 的密码以明文发给 "
              "{host}，因此未发送；请改用 \"ssl\" 或 \"starttls\"；"
              "如确属内网，可设 [mail] allow_plaintext = true",
        "en": "[mail] {key} = \"none\" would send the password of {user} to {host} unencrypted,"
              " so nothing was sent; use \"ssl\" or \"starttls\", or set [mail] allow_plaintext "
              "= true if this network is private"},
    "mail.no_sender": {
        "zh": "发送函件需要发件人地址：请在 officebot.toml 的 [mail] "
              "from 中填写，或使用 --from",
        "en": "Sending needs a sender address: set [mail] from in officebot.toml or give "
              "--from"},
    "mail.no_host": {
        "zh": "发送函件需要邮件服务器：请在 officebot.toml 的 [mail] "
              "host 中填写，或使用 --smtp-host",
        "en": "Sending needs the mail server: set [mail] host in officebot.toml or give "
              "--smtp-host"},
    "mail.unknown_outcome": {
        "zh": "函件 {label} 交给邮件服务器后连接中断（{reply}），可能已送达 "
              "{to}：请核实，如未送达再用 --resend {ids} 重新发送",
        "en": "The connection to the mail server broke just after letter {label} was "
              "handed over ({reply}); it may have reached {to}: check with the customer "
              "or the sent folder, then send it again with --resend {ids} if it did not"},
    "mail.no_sender_details": {
        "zh": "未填写寄件人信息的函件不会发出；请在 officebot.toml 中填写 {keys} 后再运行",
        "en": "Letters are never sent without the sender's details; fill in {keys} in "
              "officebot.toml and run again"},
    # --- mail/status: the words of the register's mail column and the letters sheet ---------
    "mail.status.drafted": {"zh": "已起草", "en": "drafted"},
    "mail.status.draft_written": {"zh": "已存草稿", "en": "draft written"},
    "mail.status.sent": {"zh": "已发送", "en": "sent"},
    "mail.status.refused": {"zh": "被拒收", "en": "refused"},
    "mail.status.retry": {"zh": "待重试", "en": "to retry"},
    "mail.status.unknown": {"zh": "待核实（可能已发出）", "en": "check (may have gone out)"},
    "mail.status.held": {"zh": "暂缓", "en": "held"},
    "mail.status.printed": {"zh": "已打印待寄", "en": "printed for post"},
    "mail.status.bad_address": {"zh": "邮箱无效", "en": "invalid address"},
    "mail.status.superseded": {"zh": "已由后函取代", "en": "superseded by a later letter"},
    "mail.status.no_address": {"zh": "无地址无邮箱", "en": "no address or e-mail"},
    "mail.channel.email": {"zh": "电子邮件", "en": "e-mail"},
    "mail.channel.post": {"zh": "邮寄", "en": "post"},
    "mail.channel.none": {"zh": "无法投递", "en": "not deliverable"},
    "mail.kind.apology": {"zh": "致歉函", "en": "letter of apology"},
    "mail.kind.response": {"zh": "投诉处理情况的函", "en": "letter on the outcome"},
    "mail.kind.followup": {"zh": "回访函", "en": "follow-up letter"},
    "mail.post_file": {"zh": "待邮寄.pdf", "en": "To post.pdf"},
    # --- letter_templates and letters/proof: a template refused -------------------------
    "template.kind.apology": {"zh": "致歉信", "en": "apology letter"},
    "template.kind.response": {"zh": "投诉处理情况的函", "en": "response letter"},
    "template.kind.followup": {"zh": "回访信", "en": "follow-up letter"},
    "proof.refused": {"zh": "函件模板 {name}{at}{what}，未用它起草函件；请在 Word 中改正",
                      "en": "Template {name} {what}{at}, so no letter was drafted from it; "
                            "correct it in Word"},
    "proof.at_paragraph": {"zh": "（段落“{words}”）", "en": " in the paragraph \"{words}\""},
    "proof.sandbox": {"zh": "使用了模板不允许使用的内容",
                      "en": "reaches for something a template may not use"},
    "proof.too_big": {
        "zh": "函件模板 {name} 生成的内容超出函件的限度（循环或重复次数超过 [letters] "
              "template_max_range / template_max_output_kb），请在 Word 中删去",
        "en": "Template {name} makes more text than a letter can hold (a loop or a "
              "repetition past [letters] template_max_range / template_max_output_kb); "
              "remove it in Word"},
    "proof.external": {"zh": "链接了文件以外的内容（{part}），如外部图片或网址",
                       "en": "links to something outside the file ({part})"},
    "proof.field": {"zh": "含有 Word 域 {word}（只允许页码）",
                    "en": "holds a Word field {word} (only page numbers are allowed)"},
    "proof.braces": {"zh": "中有括号不成对的占位符（应为 {{{{ }}}} 或 {{% %}}）",
                     "en": "has a placeholder whose braces do not match ({{{{ }}}} or {{% %}})"},
    "proof.not_docx": {"zh": "函件模板 {name} 无法作为 Word .docx 文件读取；请在 Word 中重新"
                             "另存为 .docx",
                       "en": "Template {name} cannot be read as a Word .docx file ({exc}); "
                             "save it again from Word as .docx"},
    "proof.entities": {"zh": "的 {part} 中有 Word 从不写入的 DOCTYPE 或实体声明（请在 Word 中"
                             "重新另存为 .docx）",
                       "en": "has a DOCTYPE or entity declarations in {part}, which Word never "
                             "writes (save it again from Word as .docx)"},
    "proof.not_utf8": {"zh": "的 {part} 不是 UTF-8 编码", "en": "has a part {part} that is not UTF-8"},
    "proof.full_width": {"zh": "中的占位符用了全角括号 ｛｛ ｝｝（请用英文输入法重新输入为 {{{{ }}}}）",
                         "en": "has a placeholder typed with full-width braces ｛｛ ｝｝ (retype "
                               "them as {{{{ }}}} with the input method in English mode)"},
    "proof.syntax": {"zh": "中有无法识别的占位符（请检查括号、if/endif 是否成对及拼写）",
                     "en": "has a placeholder officebot cannot read (check its braces, "
                           "if/endif and spelling)"},
    "proof.unknown_placeholder": {
        "zh": "使用了不认识的占位符 {{{{ {placeholder} }}}}（是否应为 {{{{ {hint} }}}}？）",
        "en": "uses the unknown placeholder {{{{ {placeholder} }}}}; did you mean "
              "{{{{ {hint} }}}}?"},
    "proof.unknown_name": {
        "zh": "使用了不认识的占位符 {{{{ {placeholder} }}}}（可用的名称见 README 的 Letters 一节）",
        "en": "uses the unknown placeholder {{{{ {placeholder} }}}} (the README's section "
              "Letters lists the names)"},
    "proof.no_case_id": {
        "zh": "没有显示投诉编号（每封函件都要以它为编号；请加上 {{{{ 投诉编号 }}}}，英文为 "
              "{{{{ case_id }}}}）",
        "en": "does not show the case id, which every letter must carry as its "
              "reference number (add {{{{ 投诉编号 }}}}, in English {{{{ case_id }}}})"},
    "proof.cannot_fill": {"zh": "无法填写（请检查其中的占位符）",
                          "en": "cannot be filled (check its placeholders)"},
    "proof.split": {"zh": "中有被 Word 拆开、无法识别的占位符（请一次输入完整）",
                    "en": "has a placeholder Word split into pieces that no longer read as one "
                          "(retype it in one go)"},
    "proof.left_out": {
        "zh": "中的文字“{piece}”不会出现在任何函件中（写在了 {{%p %}} 段落里，或所在条件永不成立）",
        "en": "would leave out its own text \"{piece}\" in every letter (text inside an "
              "{{%p %}} paragraph, or under a condition that never holds)"},
    # --- letters: what a run of letters says to the office (letters/prompts, drafting) -----
    "letters.gap.handler": {"zh": "处理人的英文名", "en": "an English name for the handler"},
    "letters.gap.department": {"zh": "部门的英文名", "en": "an English name for the department"},
    "letters.gap.category": {"zh": "类别的英文名", "en": "an English name for the category"},
    "letters.gap.answer": {"zh": "满意度评价的英文", "en": "the satisfaction answer in English"},
    "letters.gap.improvement": {"zh": "英文整改措施", "en": "the improvement in English"},
    "letters.gap.complaint": {"zh": "英文投诉内容",
                              "en": "the complaint in English (English complaint column)"},
    "letters.gap.reply": {"zh": "英文答复内容", "en": "the reply in English (English reply column)"},
    "letters.gap_part": {"zh": "{label}（{ids}）", "en": "{label} ({ids})"},
    "letters.gap_sep": {"zh": "；", "en": "; "},
    "letters.english_gaps": {
        "zh": "英文函件中因缺少英文内容而略去了句子：{parts}；请在 [letters] english_names 中"
              "填写英文名称，或在台账中加英文列（英文投诉内容 / 英文答复内容）",
        "en": "English letters left sentences out for want of English text: {parts}; add English "
              "names to [letters] english_names, or English columns (English complaint / English "
              "reply) to the register"},
    "letters.old_default": {
        "zh": "templates/{name} 是 officebot 早先的默认模板（未改动过），本次改用新版默认模板起草；"
              "删除该文件即可不再提示",
        "en": "templates/{name} is an unedited earlier officebot default, so the current default "
              "was used; delete the file to stop this note"},
    "letters.too_old": {
        "zh": "{n} 件未办结的逾期案件受理已超过 {days:g} 天（[letters] max_age_days），"
              "太旧，未起草函件：{ids}；需要时用 --case 指定编号起草",
        "en": "{n} open overdue {n:case is|cases are} too old to draft (received more than "
              "{days:g} days ago, [letters] max_age_days): {ids}; draft one with --case if "
              "needed"},
    "letters.of_register": {"zh": "{name}", "en": " of {name}"},
    "letters.unknown_cases": {
        "zh": "台账{where}的可读行中没有编号为 {ids} 的案件，未起草函件，也未写入台账；请核对编号",
        "en": "No case {ids} among the readable rows{where}, so nothing was drafted or written; "
              "check the case id"},
    "letters.declined": {"zh": "未起草本次的 {n} 封函件（已选择不起草）；确认后再运行即可起草",
                         "en": "{n:the letter|the {n} letters} of this run {n:was|were} not "
                               "drafted (declined); run again to draft {n:it|them}"},
    "letters.sender.company_zh": {"zh": "中文单位名称", "en": "Chinese company name"},
    "letters.sender.company_en": {"zh": "英文单位名称", "en": "English company name"},
    "letters.sender.address_zh": {"zh": "中文地址", "en": "Chinese address"},
    "letters.sender.address_en": {"zh": "英文地址", "en": "English address"},
    "letters.sender.hotline": {"zh": "客服热线", "en": "hotline"},
    "letters.sender.email": {"zh": "邮箱", "en": "email"},
    "letters.no_kind": {"zh": "没有“{kind}”这种函件；可用的有 {kinds}",
                        "en": "There is no letter kind {kind!r}; use one of {kinds}"},
    "letters.template_missing": {
        "zh": "templates/ 中没有函件模板 {name}，officebot 也没有自带这个模板；请添加该模板，"
              "或修改指定它的规则",
        "en": "Template {name} is missing from templates/ and officebot has no such "
              "template; add it or change the rule that names it"},
    "letters.template_unfillable": {
        "zh": "函件模板 {name} 无法填写，已停止用它起草函件；请在 Word 中检查其占位符",
        "en": "Template {name} cannot be filled, so officebot stopped drafting "
              "letters from it; check its placeholders in Word"},
    "letters.record_unreadable": {
        "zh": "函件记录 {path} 无法读取，因此本次没有起草函件；请从备份中恢复该文件，或将它删除"
              "（删除后，之前起草的函件将被视为不是 officebot 生成的，不再改动）",
        "en": "The letters record {path} cannot be read, so no letter was drafted; restore it "
              "from a backup, or delete it (letters drafted before are then left alone as not "
              "officebot's)"},
    "letters.drafting_locked": {
        "zh": "另一个 officebot 正在 {folder} 中起草函件（锁定文件 {lock} 由它持有）；"
              "本次没有起草函件，下次运行时会起草",
        "en": "Another officebot run is drafting letters in {folder} (it holds {lock}); this "
              "run drafted none, the next run will"},
    "letters.link_outside": {
        "zh": "函件 {rel} 未起草：letters/ 中有一个链接指向该文件夹之外；请把这个链接换成普通文件夹",
        "en": "Letter {rel} was not drafted: a link in letters/ points outside it; replace the "
              "link with a plain folder"},
    "letters.missing_value": {
        "zh": "函件模板 {name} 需要 {{{{ {placeholder} }}}}，但案件 {case} 没有这一项的值，"
              "因此未起草其{kind}；请在台账中填写这一项，或给占位符加一个默认值，例如 "
              "{{{{ {placeholder} or \"...\" }}}}",
        "en": "Template {name} needs {{{{ {placeholder} }}}} but case {case} has no value for "
              "it, so its {kind} letter was not drafted; fill it in the register or give the "
              "placeholder a fallback like {{{{ {placeholder} or \"...\" }}}}"},
    "letters.not_written": {
        "zh": "函件 {rel} 无法写入（{why}）；如果它已在别的程序中打开，请先关闭，"
              "并检查该文件夹的写入权限",
        "en": "Letter {rel} cannot be written ({why}); close it if it is open and check the "
              "folder's permissions"},
    # why a letter was left alone (drafting.Letter.reason)
    "letters.skip.covered": {"zh": "同一客户案件 {by} 的函件已一并答复此案件",
                             "en": "the same customer's letter for case {by} covers it"},
    "letters.skip.not_ours": {"zh": "已有同名文件，但不是 officebot 生成的",
                              "en": "a file of that name exists that officebot did not write"},
    "letters.skip.edited": {"zh": "已被手工修改；officebot 不会覆盖它",
                            "en": "edited by hand; officebot never overwrites it"},
    "letters.skip.drafted": {"zh": "已起草过；如需重新起草，请加 --redo",
                             "en": "already drafted; use --redo to draft it again"},
    "letters.skip.open": {"zh": "正在 Word 中打开；请关闭后再运行",
                          "en": "open in Word; close it and run again"},
    # --- workbook/summary: the summary sheets' words (summary.WORDS) -----------------------
    "summary.month": {"zh": "月份", "en": "Month"},
    "summary.department": {"zh": "责任部门", "en": "Department"},
    "summary.category": {"zh": "投诉类别", "en": "Category"},
    "summary.channel": {"zh": "渠道", "en": "Channel"},
    "summary.handler": {"zh": "处理人", "en": "Handler"},
    "summary.total": {"zh": "投诉总数", "en": "Cases"},
    "summary.judged": {"zh": "应回复数", "en": "Reply due"},
    "summary.num": {"zh": "分子", "en": "numerator"},
    "summary.den": {"zh": "分母", "en": "denominator"},
    "summary.result": {"zh": "结果", "en": "result"},
    "summary.rate": {"zh": "比率", "en": "rate"},
    "summary.sub_num": {"zh": "分子", "en": "count"},
    "summary.sub_den": {"zh": "分母", "en": "out of"},
    "summary.target": {"zh": "目标", "en": "Target"},
    "summary.met": {"zh": "达标", "en": "met"},
    "summary.missed": {"zh": "未达标", "en": "MISSED"},
    "summary.no_data": {"zh": "无数据", "en": "no data"},
    "summary.all": {"zh": "合计", "en": "Total"},
    "summary.kpi": {"zh": "指标", "en": "KPI"},
    "summary.value": {"zh": "数值", "en": "Value"},
    "summary.definition": {"zh": "口径", "en": "Definition"},
    "summary.as_of": {"zh": "截至时间", "en": "As of"},
    "summary.register": {"zh": "台账", "en": "Register"},
    "summary.count": {"zh": "件数", "en": "Count"},
    "summary.item": {"zh": "项目", "en": "Item"},
    "summary.cases": {"zh": "案件总数", "en": "Cases"},
    "summary.overdue": {"zh": "逾期案件", "en": "Overdue cases"},
    "summary.due_soon": {"zh": "即将到期案件", "en": "Cases due soon"},
    "summary.repeats": {"zh": "重复投诉", "en": "Repeat complaints"},
    "summary.escalated": {"zh": "已升级案件", "en": "Escalated cases"},
    "summary.problems": {"zh": "无法判定的行", "en": "Rows not judged"},
    "summary.case_id": {"zh": "编号", "en": "Case No."},
    "summary.received_at": {"zh": "受理时间", "en": "Received"},
    "summary.customer": {"zh": "客户", "en": "Customer"},
    "summary.what": {"zh": "事项", "en": "Clock"},
    "summary.due": {"zh": "到期时间", "en": "Due"},
    "summary.overdue_by": {"zh": "逾期时长", "en": "Overdue by"},
    "summary.time_left": {"zh": "剩余时间", "en": "Time left"},
    "summary.level": {"zh": "升级级别", "en": "Escalation level"},
    "summary.person": {"zh": "应办人", "en": "To act"},
    "summary.summary": {"zh": "投诉内容", "en": "Complaint"},
    "summary.repeat_of": {"zh": "重复于", "en": "Repeat of"},
    "summary.reply_status": {"zh": "答复状态", "en": "Reply status"},
    "summary.close_status": {"zh": "结案状态", "en": "Close status"},
    "summary.reason": {"zh": "升级原因", "en": "Why escalated"},
    "summary.first_due": {"zh": "最早到期", "en": "First due"},
    "summary.why_overdue": {"zh": "逾期", "en": "overdue"},
    "summary.why_repeat": {"zh": "重复投诉", "en": "repeat complaint"},
    "summary.reply": {"zh": "答复", "en": "reply"},
    "summary.close": {"zh": "结案", "en": "close"},
    "summary.sep": {"zh": "、", "en": ", "},
    "summary.severity": {"zh": "投诉等级", "en": "severity"},
    "summary.more": {
        "zh": "另有 {n} 件未列出（每张清单最多 {max} 件，见设置 summary.list_max_rows）。",
        "en": "{n} more {n:case|cases} not listed (at most {max} per list, see setting "
              "summary.list_max_rows)."},
    "summary.none": {"zh": "截至 {t} 没有此类案件。", "en": "No such cases as of {t}."},
    "summary.run_at": {"zh": "运行时间", "en": "Run at"},
    "summary.judged_cases": {"zh": "判定案件数", "en": "Cases judged"},
    "summary.new_overdue": {"zh": "新增逾期数", "en": "Newly overdue"},
    "summary.new_overdue_ids": {"zh": "新增逾期编号", "en": "Newly overdue (case numbers)"},
    "summary.new_escalated": {"zh": "新增升级数", "en": "Newly escalated"},
    "summary.new_escalated_ids": {"zh": "新增升级编号", "en": "Newly escalated (case numbers)"},
    "summary.letters": {"zh": "起草函件数", "en": "Letters drafted"},
    "summary.chart_month": {"zh": "每月投诉数与回复及时率", "en": "Cases per month and on-time reply rate"},
    "summary.chart_dept": {"zh": "各部门回复及时率", "en": "On-time reply rate by department"},
    "summary.def_reply_rate": {
        "zh": "已回复 ÷ 应回复（已回复或答复期限已到）",
        "en": "replied / reply due (replied, or reply due by the as-of time)"},
    "summary.def_on_time_reply_rate": {"zh": "按时回复 ÷ 应回复", "en": "replied on time / reply due"},
    "summary.def_repeat_rate": {"zh": "重复投诉 ÷ 投诉总数", "en": "repeat complaints / all cases"},
    "summary.def_satisfaction_rate": {
        "zh": "满意 ÷ 有满意度答复的案件",
        "en": "satisfied / cases with a satisfaction answer"},
    "summary.def_followup_rate": {
        "zh": "已回访 ÷ 已到回访期的结案案件（结案后满回访天数）",
        "en": "followed up / closed cases due for follow-up"},
    "summary.at_least": {"zh": "≥", "en": ">="},
    "summary.at_most": {"zh": "≤", "en": "<="},
    "summary.row": {"zh": "行号", "en": "Row"},
    "summary.column": {"zh": "列", "en": "Column"},
    "summary.cell": {"zh": "单元格", "en": "Cell"},
    "summary.typed": {"zh": "填写的内容", "en": "As typed"},
    "summary.problem": {"zh": "问题", "en": "What is wrong"},
    "summary.fix": {"zh": "改正方法", "en": "How to fix it"},
    "summary.no_problems": {
        "zh": "截至 {t} 台账中没有无法判定的行。",
        "en": "No row of the register is left unjudged as of {t}."},
    "summary.fix.blank_id": {
        "zh": "填写这一行的投诉编号（每件投诉一个编号，不能与别的行相同）",
        "en": "Give this row its case number (one per complaint, not used elsewhere)"},
    "summary.fix.duplicate_id": {
        "zh": "换一个没有用过的编号；如果是重复登记，删除这一行",
        "en": "Give it a number not used yet; if it was entered twice, delete this row"},
    "summary.fix.blank_received": {
        "zh": "填写受理时间，例如 2026-03-05 14:20",
        "en": "Enter the time received, e.g. 2026-03-05 14:20"},
    "summary.fix.bad_time": {
        "zh": "改成 2026-03-05 14:20 或 2026年3月5日 14:20 这样的时间；还没有时留空",
        "en": "Write a time like 2026-03-05 14:20, or leave it blank until known"},
    "summary.fix.bad_received": {
        "zh": "改成 2026-03-05 14:20 或 2026年3月5日 14:20 这样的受理时间（受理时间必须填写，只知道日期时写日期）",
        "en": "Write the time received like 2026-03-05 14:20 (it must be filled in; a date alone will do)"},
    "summary.fix.error_value": {
        "zh": "改正这个单元格的公式或内容，让它显示正常的值",
        "en": "Correct this cell's formula or value so it shows a proper value"},
    "summary.fix.": {"zh": "按“问题”一栏改正这个单元格", "en": "Correct this cell as the problem says"},
    "summary.followup_due": {"zh": "待回访", "en": "Follow-up due"},
    "summary.followup_overdue": {"zh": "回访逾期", "en": "Follow-up overdue"},
    "summary.followup_done": {"zh": "已回访", "en": "Followed up"},
    "summary.followup_rate": {"zh": "回访率", "en": "Follow-up rate"},
    "summary.chart_followup": {"zh": "各部门回访率", "en": "Follow-up rate by department"},
    "summary.month_table": {"zh": "月份", "en": "Month"},
    "summary.trend": {"zh": "较上月（百分点）", "en": "vs last month (points)"},
    "summary.worst": {"zh": "回复及时率最低的部门", "en": "Lowest on-time reply rate"},
    "summary.late_replies": {"zh": "未按时回复", "en": "Not replied on time"},
    "summary.none_yet": {"zh": "—", "en": "-"},
    "severity.normal": {"zh": "一般", "en": "normal"},
    "severity.serious": {"zh": "严重", "en": "serious"},
    "severity.crisis": {"zh": "危机", "en": "crisis"},
    # --- workbook/sheet_kit: the names of officebot's own sheets (stable: found by them) ----
    "sheet.overview": {"zh": "概览", "en": "Overview"},
    "sheet.month": {"zh": "月度指标", "en": "By month"},
    "sheet.department": {"zh": "部门指标", "en": "By department"},
    "sheet.category": {"zh": "类别指标", "en": "By category"},
    "sheet.channel": {"zh": "渠道指标", "en": "By channel"},
    "sheet.handler": {"zh": "处理人指标", "en": "By handler"},
    "sheet.overdue": {"zh": "逾期清单", "en": "Overdue"},
    "sheet.due_soon": {"zh": "即将到期", "en": "Due soon"},
    "sheet.repeats": {"zh": "重复投诉", "en": "Repeats"},
    "sheet.escalated": {"zh": "升级清单", "en": "Escalated"},
    "sheet.problems": {"zh": "问题行清单", "en": "Problem rows"},
    "sheet.run_log": {"zh": "运行记录", "en": "Run log"},
    "sheet.letters": {"zh": "函件登记", "en": "Letters"},
    # --- workbook/letters_sheet: the letters sheet's column titles and promise words --------
    "letters_sheet.title.case_id": {"zh": "编号", "en": "Case No."},
    "letters_sheet.title.kind": {"zh": "函件", "en": "Kind"},
    "letters_sheet.title.file": {"zh": "文件", "en": "File"},
    "letters_sheet.title.drafted": {"zh": "起草时间", "en": "Drafted"},
    "letters_sheet.title.promised": {"zh": "承诺日期", "en": "Promised by"},
    "letters_sheet.title.promise": {"zh": "承诺状态", "en": "Promise"},
    "letters_sheet.title.channel": {"zh": "方式", "en": "Channel"},
    "letters_sheet.title.status": {"zh": "状态", "en": "Status"},
    "letters_sheet.title.sent_at": {"zh": "发送时间", "en": "Sent at"},
    "letters_sheet.title.to": {"zh": "收件人", "en": "To"},
    "letters_sheet.title.message_id": {"zh": "Message-ID", "en": "Message-ID"},
    "letters_sheet.promise.kept": {"zh": "已兑现", "en": "kept"},
    "letters_sheet.promise.late": {"zh": "逾期兑现", "en": "kept late"},
    "letters_sheet.promise.overdue": {"zh": "已逾期", "en": "overdue"},
    "letters_sheet.promise.ahead": {"zh": "未到期", "en": "ahead"},
    # --- workbook/columns and workbook/package: the status columns' notes, the editor's errors
    "columns.no_room": {
        "zh": "{label}：登记表的单元格一直延伸到 {far} 列，在 Excel "
              "的最后一列 XFD 之前放不下 officebot 的 {n} 个状态列；"
              "请删除或移走登记表右侧的单元格后再运行",
        "en": "{label}: the register sheet has cells as far right as column {far}, leaving "
              "no room for officebot's {n} status {n:column|columns} before column XFD "
              "(Excel's last); delete or move the cells right of the register and run again"},
    "columns.unreadable_row": {
        "zh": "{label}：登记表中有一行 officebot 无法读取；请在 Excel 中重新保存后再运行",
        "en": "{label}: the register sheet has a row officebot cannot read; re-save it in "
              "Excel and run again"},
    "columns.no_cells": {
        "zh": "{label}：登记表中没有单元格数据；请在 Excel 中重新保存后再运行",
        "en": "{label}: the register sheet has no cell data; re-save it in Excel and run "
              "again"},
    "workbook.no_sheet_list": {
        "zh": "{label} 没有工作表清单；请在 Excel 中重新保存后再运行",
        "en": "{label} has no sheet list; re-save it in Excel"},
    "workbook.foreign_sheet": {
        "zh": "{label} 已有一个不是 officebot 生成的工作表“{sheet}”；"
              "请给它改名后再运行",
        "en": "{label} already has a sheet named \"{sheet}\" that officebot did not make;"
              " rename that sheet and run again"},
    "columns.longest_note": {"zh": "答复已逾期100天23小时，结案已逾期100天23小时",
                             "en": "reply overdue 100 d 23 h; close overdue 100 d 23 h"},
    "columns.closed": {"zh": "已结案", "en": "closed"},
    "columns.clock.reply": {"zh": "答复", "en": "reply"},
    "columns.clock.close": {"zh": "结案", "en": "close"},
    "columns.due_in": {"zh": "{clock}还有{amount}到期", "en": "{clock} due in {amount}"},
    "columns.overdue_by": {"zh": "{clock}已逾期{amount}", "en": "{clock} overdue {amount}"},
    "columns.note_sep": {"zh": "，", "en": "; "},
    "columns.problem_sep": {"zh": "；", "en": "; "},
    "columns.problem_colon": {"zh": "：", "en": ": "},
    "columns.row": {"zh": "第 {row} 行", "en": "row {row}"},
    # --- report_text: the plain-text report (officebot check / report) ---------------------
    "report.register": {
        "zh": "投诉登记台账：{name}（工作表“{sheet}”，表头在第 {row} 行）",
        "en": "Register: {name} (sheet \"{sheet}\", header on row {row})"},
    "report.as_of": {"zh": "判断时间：{at:%Y-%m-%d %H:%M}", "en": "As of: {at:%Y-%m-%d %H:%M}"},
    "report.stop": {"zh": "。", "en": "."},
    "report.figures": {"zh": "指标：", "en": "Figures:"},
    "report.target_missed": {"zh": "  ✗ 未达标", "en": "  ✗ target missed"},
    "report.kpi": {"zh": "  {name}: {value} ({num}/{den}; 目标 {sign} {target}){mark}",
                   "en": "  {name}: {value} ({num}/{den}; target {sign} {target}){mark}"},
    "report.section": {"zh": "{title}（{n}）", "en": "{title} ({n})"},
    "report.more_cases": {"zh": "  ……另有 {n} 件", "en": "  ... and {n} more"},
    "report.more_problems": {"zh": "  ……另有 {n} 处", "en": "  ... and {n} more"},
    "report.clocks": {
        "zh": "答复: {reply} ({reply_due:%m-%d %H:%M}), 结案: {close} ({close_due:%m-%d %H:%M})",
        "en": "reply: {reply} ({reply_due:%m-%d %H:%M}), close: {close} "
              "({close_due:%m-%d %H:%M})"},
    "report.level": {"zh": "{id}: 级别 {level} {title}{named}",
                     "en": "{id}: level {level} {title}{named}"},
    "report.overdue": {"zh": "逾期", "en": "Overdue"},
    "report.overdue_case": {"zh": "{id} (第{row}行): {clocks}; 责任人: {who}",
                            "en": "{id} (row {row}): {clocks}; to act: {who}"},
    "report.due_soon": {"zh": "即将到期", "en": "Due soon"},
    "report.repeats": {"zh": "重复投诉", "en": "Repeat complaints"},
    "report.repeat_case": {"zh": "{id} → 原投诉 {first}", "en": "{id} → first complaint {first}"},
    "report.escalated": {"zh": "已升级", "en": "Escalated"},
    "report.problems": {"zh": "问题行（{n}，未参与判断）",
                        "en": "Problem rows ({n}, left out of the judgement)"},
    # --- init: the launchers' names and the desktop entry -------------------------------
    "init.launcher_name": {"zh": "运行投诉处理", "en": "Run officebot"},
    "init.mail_launcher_name": {"zh": "发送函件", "en": "Send letters"},
    "init.desktop_comment": {"zh": "处理本文件夹中的投诉登记台账",
                             "en": "Process the complaint register in this folder"},
    # --- the answers a clerk may type at a question (launcher, mail): words, space between -
    "answer.yes": {"zh": "是 好 确认 发送", "en": "y yes"},
    "answer.no": {"zh": "否 不 不要", "en": "n no"},
}


# click's own words (its errors, its prompts, its help), keyed by their English msgid: click
# reads each through gettext, and cli hands click a translation made from this table when
# the office writes Chinese (English is click's own). Each keeps its msgid's {fields}; a
# word click says in the singular and the plural has one Chinese entry, under the singular.
CLICK_ZH: Dict[str, str] = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看用法。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Did you mean {possibility}?": "您要用的是不是 {possibility}？",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing command.": "缺少命令。",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面要写一个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 后面不能写值。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数（{number_type}）。",
    "{value} is not in the range {range}.": "{value} 不在 {range} 范围内。",
    "{value!r} is not {choice}.": "{value!r} 不是可选的值（{choice}）。",
    "default: {default}": "默认：{default}",
    "Aborted!": "已中止。",
    "Do you want to continue?": "是否继续？",
    "Repeat for confirmation": "请再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
}

# One catalog per language, as gettext keeps them: key -> sentence.
CATALOGS: Dict[str, Dict[str, str]] = {
    lang: {key: texts[lang] for key, texts in MESSAGES.items() if lang in texts}
    for lang in ("zh", "en")}


def pair(key: str, /, **values) -> Tuple[str, str]:
    """(English, Chinese) of ``key``, for an OfficebotError(english, zh=chinese)."""
    return msg("en", key, **values), msg("zh", key, **values)


def both(language: str, key: str, /, **values) -> str:
    """For an error: Chinese with the English alongside, or English alone."""
    if language != "zh":
        return msg("en", key, **values)
    return f"{msg('zh', key, **values)}（{msg('en', key, **values)}）"


class _Counting(string.Formatter):
    """str.format, with "{n:one|many}": the word for a count of one, else for many (a
    number that is not whole, 1.5, is many)."""

    def format_field(self, value, format_spec: str):
        if "|" in format_spec and isinstance(value, (int, float)) \
                and not isinstance(value, bool):
            one, many = format_spec.split("|", 1)
            return one if value == 1 else many
        return super().format_field(value, format_spec)


_COUNTING = _Counting()


def answers(key: str) -> frozenset:
    """The words, in either language, a typed answer ``key`` (answer.yes / answer.no) may be."""
    return frozenset(word for texts in MESSAGES[key].values() for word in texts.split())


def msg(language: str, key: str, /, **values) -> str:
    """The message ``key`` in ``language`` ("zh" or "en"), with ``values`` filled in."""
    texts = MESSAGES[key]
    text = texts.get(language, texts["en"])
    if "|" in text and "{" in text:  # a count's word ({n:case|cases}); the rest as format()
        return _COUNTING.format(text, **values)
    return text.format(**values)
