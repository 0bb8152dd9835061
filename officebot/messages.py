"""The sentences a clerk reads (launcher, schedule, doctor, init), in Chinese and English."""

from typing import Dict

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
    "cases": {"zh": "共 {n} 件投诉", "en": "{n} cases"},
    "overdue": {"zh": "{n} 件逾期", "en": "{n} overdue"},
    "none_overdue": {"zh": "没有逾期案件", "en": "no case overdue"},
    "due_soon": {"zh": "{n} 件即将到期", "en": "{n} due soon"},
    "repeats": {"zh": "{n} 件重复投诉", "en": "{n} repeat complaints"},
    "escalated_to": {"zh": "{n} 件需上报{who}", "en": "{n} escalated to the {who}"},
    "escalated_many": {"zh": "{n} 件需上报领导（{detail}）", "en": "{n} escalated ({detail})"},
    "escalated_part": {"zh": "{who} {n} 件", "en": "{n} to the {who}"},
    "list_sep": {"zh": "、", "en": ", "},
    "letters": {"zh": "已在 {folder} 起草 {n} 封信函", "en": "{n} letters drafted in {folder}"},
    "letters_none": {"zh": "没有需要起草的信函", "en": "no letter to draft"},
    "letters_declined": {"zh": "按你的选择，本次没有起草 {n} 封函件（下次运行时确认即可起草）",
                         "en": "as you chose, the {n} letters of this run were not drafted "
                               "(answer yes next time to draft them)"},
    "old_xls": {"zh": "文件夹中的 {name} 是旧的 .xls 工作簿，officebot 读不了：请在 Excel 中打开它，"
                      "另存为 .xlsx（Excel 工作簿）后再运行。",
                "en": "{name} in the folder is an old .xls workbook, which officebot cannot read: "
                      "open it in Excel, save it as .xlsx (Excel Workbook) and run again."},
    "letter_problems": {"zh": "{n} 封信函未能起草（见日志）",
                        "en": "{n} letters could not be drafted (see the log)"},
    "problems": {"zh": "{n} 行登记有误，请核对台账中标出的行",
                 "en": "{n} rows have mistakes; check the rows marked in the register"},
    "written": {"zh": "台账已更新", "en": "the register was updated"},
    "side_copy": {"zh": "台账正被他人打开，结果已另存为 {name}",
                  "en": "the register was open elsewhere, so the result was saved as {name}"},
    "dry_run": {"zh": "未写回台账（试运行）", "en": "the register was not changed (dry run)"},
    "backup": {"zh": "已保存备份", "en": "backup saved"},
    "sep": {"zh": "；", "en": "; "},
    "first_sep": {"zh": "，", "en": ", "},
    "end": {"zh": "。", "en": "."},
    "locked": {"zh": "台账正在其他电脑的 Excel 中打开：请关闭后再运行。",
               "en": "The register is open in Excel on another computer: close it and run again."},
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
        "en": "This run is about to draft {n} letters (more than [letters] confirm_over = "
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
    # --- run, report and letters summaries (batch.summary_lines) -------------------------
    "run.add_columns": {"zh": "新增状态列：{cols}", "en": "add status columns: {cols}"},
    "run.cells": {"zh": "将有 {cells} 个状态单元格（{rows} 行）发生变化",
                  "en": "{cells} status cells in {rows} rows would change"},
    "run.more": {"zh": "  ……另有 {n} 处", "en": "  ... and {n} more"},
    "run.replace": {"zh": "替换汇总表：{names}", "en": "replace summary sheets: {names}"},
    "run.add_sheets": {"zh": "新增汇总表：{names}", "en": "add summary sheets: {names}"},
    "run.head": {
        "zh": "{name}，工作表“{sheet}”：截至 {as_of} 判断 {n} 件案件；问题行 {problems} 行",
        "en": "{name}, sheet {sheet}: {n} cases judged as at {as_of}; {problems} problem rows"},
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
    # --- officebot mail (mail.py) ------------------------------------------------------------
    "stage.mail": {"zh": "发送函件", "en": "Mailing letters"},
    "mail.start": {"zh": "正在为台账 {name} 发送函件 …", "en": "Mailing the letters of {name} …"},
    "mail.line": {"zh": "{case}  {customer}  <{to}>  {letter}",
                  "en": "{case}  {customer}  <{to}>  {letter}"},
    "mail.ask": {"zh": "以上 {n} 封函件将发送给客户。确认发送吗？",
                 "en": "The {n} letters above will be sent to the customers. Send them?"},
    "mail.would": {"zh": "将发送：", "en": "would mail: "},
    "mail.sent_line": {"zh": "已发送 {case} {kind} → {to} {mid}", "en": "sent {case} {kind} to {to} {mid}"},
    "mail.draft_line": {"zh": "草稿 {case} {kind} → {where}", "en": "draft {case} {kind} in {where}"},
    "mail.refused_line": {"zh": "被拒收 {case} <{to}>：{reply}（不再重试，除非 --retry-refused）",
                          "en": "refused {case} <{to}>: {reply} (not retried unless --retry-refused)"},
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
    "mail.held_line": {"zh": "暂缓 {case} {kind}（台账“暂缓发送”列有内容）",
                       "en": "held {case} {kind} (the register's Hold column is filled)"},
    "mail.post_line": {"zh": "需邮寄 {case} {customer}：{letter}", "en": "to post {case} {customer}: {letter}"},
    "mail.more_post": {"zh": "……另有 {n} 封需邮寄（见“函件登记”）", "en": "... and {n} more letters to post (see Letters)"},
    "mail.sender_missing": {"zh": "寄件人信息未填写（{keys}）：草稿已生成供核对，但填写之前函件不会被发送",
                            "en": "the sender's details are not set ({keys}): the drafts are there "
                                  "to check, but no letter is sent until they are filled in"},
    "mail.problem": {"zh": "问题：{p}", "en": "problem: {p}"},
    "mail.sent": {"zh": "已发送 {n} 封函件", "en": "{n} letters mailed"},
    "mail.refused": {"zh": "{n} 封被拒收", "en": "{n} refused"},
    "mail.deferred": {"zh": "{n} 封暂未发出（下次运行再试）", "en": "{n} not sent yet (tried again next run)"},
    "mail.see": {"zh": "，详见“函件登记”", "en": " — see Letters (函件登记)"},
    "mail.comma": {"zh": "，", "en": ", "},
    "mail.drafts": {"zh": "已生成 {n} 封邮件草稿（{where}），请核对后发送",
                    "en": "{n} drafts written to {where} for you to check and send"},
    "mail.no_drafts": {"zh": "没有需要生成草稿的函件", "en": "no new letter to draft a message for"},
    "mail.dry": {"zh": "试运行：将处理 {n} 封函件，未写入或发送任何内容",
                 "en": "dry run: {n} letters would be mailed; nothing was written or sent"},
    "mail.not_confirmed": {"zh": "未确认，未发送任何函件", "en": "not confirmed, so nothing was sent"},
    "mail.unknown": {"zh": "{n} 封发送结果不明，请核实：{ids}", "en": "{n} may or may not have gone out — check: {ids}"},
    "mail.sep_ids": {"zh": "、", "en": ", "},
    "mail.invalid": {"zh": "{n} 封因邮箱无效未发", "en": "{n} not sent: invalid address"},
    "mail.held": {"zh": "{n} 封暂缓", "en": "{n} held back"},
    "mail.post_pdf": {"zh": "{n} 封待邮寄，见 {path}", "en": "{n} letters to post in {path}"},
    "mail.post": {"zh": "{n} 封需邮寄（客户没有邮箱；--print 可合成一个 PDF）",
                  "en": "{n} letters to post (no e-mail address; --print puts them in one PDF)"},
    "mail.register_later": {"zh": "台账正被打开，发送记录已保存在 logs/mail-ledger.jsonl，下次运行写入台账",
                            "en": "the register is open elsewhere: the record is kept in "
                                  "logs/mail-ledger.jsonl and written into it on the next run"},
    "mail.sep": {"zh": "；", "en": "; "},
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
    "bad_as_of": {"zh": "--as-of 的时间 {value!r} 无法识别：请写成 \"2026-11-22 09:00\"、"
                        "\"2026/11/22 09:00\" 或 \"2026年11月22日 9:00\"（只写日期表示当天 0 点）。",
                  "en": "--as-of {value!r} is not a time officebot can read: write it like "
                        "\"2026-11-22 09:00\", \"2026/11/22 09:00\" or \"2026年11月22日 9:00\" "
                        "(a date alone means midnight)."},
    "report_not_xlsx": {"zh": "报告只能写成 Excel 工作簿：--out 请用 .xlsx 结尾的文件名，"
                              "而不是 {name}。",
                        "en": "The report is an Excel workbook: give --out a name ending in "
                              ".xlsx, not {name}."},
    "locked_owner": {
        "zh": "台账正在 Excel 中打开（同一文件夹中有锁定文件 {owner}）：请关闭后再运行。如果"
              "谁都没有打开它（例如 Excel 曾异常退出），这个锁定文件是残留的：请删除 {owner}"
              "（可能是隐藏文件）后再运行。",
        "en": "The register is open in Excel (its owner file {owner} is in the same folder): "
              "close it and run again. If no one has it open (Excel may have crashed), the "
              "owner file is left over: delete {owner} (it may be hidden) and run again."},
    # --- escalation people ----------------------------------------------------------------
    "people_not_set": {
        "zh": "设置中的 [escalation.people] 还没有填写各级负责人的姓名，升级对象暂以职务称呼；"
              "请在 officebot.toml 中按部门填写。",
        "en": "[escalation.people] in the settings names no one yet, so escalations name job "
              "titles; fill in the people per department in officebot.toml."},
}


def both(language: str, key: str, **values) -> str:
    """For an error: Chinese with the English alongside, or English alone."""
    if language != "zh":
        return msg("en", key, **values)
    return f"{msg('zh', key, **values)}（{msg('en', key, **values)}）"


def msg(language: str, key: str, **values) -> str:
    """The message ``key`` in ``language`` ("zh" or "en"), with ``values`` filled in."""
    texts = MESSAGES[key]
    return texts.get(language, texts["en"]).format(**values)
