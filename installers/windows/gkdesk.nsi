; NSIS 3 script: the Chinese installer of gkdesk for 64-bit Windows 10/11.
; Built on Linux (Debian's nsis, makensis 3.08) by installers/windows/build.sh:
;
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DNUMVERSION=0.1.0.0 \
;            -DSRCDIR=dist/windows/gkdesk -DOUTFILE=dist/gkdesk-0.1.0-win64-setup.exe \
;            -DICON=resources/icons/gkdesk.ico installers/windows/gkdesk.nsi
;
; (makensis on Windows takes the same command.) What it does:
; - installs per user, without administrator rights, to %LOCALAPPDATA%\Programs\gkdesk;
; - Start menu folder 基层政务公开桌面助手: the program, 演示数据 (demo data, kept apart from
;   the real data), 自检(技术人员用) and the uninstaller; desktop shortcut (on by default)
;   and an optional desktop shortcut to the demo;
; - refuses 32-bit Windows and anything older than Windows 10 1607; on 1607 (LTSB 2016)
;   it warns and lets the IT person continue (see installers/README.md, "Windows floor");
; - the clerk's data (%LOCALAPPDATA%\gkdesk, with its backups) are NOT in the program folder
;   and the uninstaller keeps them unless the clerk answers 是, or, for a silent uninstall
;   (uninstall.exe /S), unless /DELETEDATA is given. Demo data are always removed.
; Silent: setup.exe /S [/D=C:\path] ; uninstall.exe /S [/DELETEDATA]

Unicode true
Target amd64-unicode
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma
SetCompressorDictSize 64

!include MUI2.nsh
!include LogicLib.nsh
!include WinVer.nsh
!include x64.nsh
!include FileFunc.nsh

!ifndef VERSION
  !error "makensis -DVERSION=x.y.z is required"
!endif
!ifndef NUMVERSION
  !define NUMVERSION "${VERSION}.0"
!endif
!ifndef SRCDIR
  !define SRCDIR "..\..\dist\windows\gkdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\gkdesk-${VERSION}-win64-setup.exe"
!endif
!ifndef ICON
  !define ICON "..\..\resources\icons\gkdesk.ico"
!endif

!define APPNAME "基层政务公开桌面助手"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\gkdesk"
; Windows 10 builds: 14393 = 1607 (LTSB 2016), 17763 = 1809 (LTSC 2019), the oldest
; release Qt 6.8 supports officially.
!define MIN_BUILD 14393
!define SUPPORTED_BUILD 17763
; Files that identify a gkdesk folder: only these are ever deleted from $INSTDIR.
!define DATADIR "$LOCALAPPDATA\gkdesk"
!define DEMODIR "$LOCALAPPDATA\gkdesk-demo"

Name "${APPNAME}"
Caption "${APPNAME} ${VERSION} 安装"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\gkdesk"
InstallDirRegKey HKCU "${UNINSTKEY}" "InstallLocation"
BrandingText "${APPNAME} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "本向导将在这台电脑上安装$\r$\n$\r$\n    ${APPNAME} ${VERSION}$\r$\n$\r$\n只为当前 Windows 用户安装,不需要管理员权限。$\r$\n$\r$\n您的数据(${DATADIR})不放在程序文件夹里:升级或卸载程序都不会删除它们。$\r$\n$\r$\n点“下一步”继续。"
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_FINISHPAGE_RUN "$INSTDIR\gkdesk-gui.exe"
!define MUI_FINISHPAGE_RUN_TEXT "立即打开${APPNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

VIProductVersion "${NUMVERSION}"
VIFileVersion "${NUMVERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "CompanyName" "gkdesk"
VIAddVersionKey /LANG=${LANG_SIMPCHINESE} "LegalCopyright" "MIT; Python, Qt (LGPLv3) and other parts keep their own licences"

; A running gkdesk keeps its .exe files open: installing over it or removing it would leave
; a half-replaced program. Opening an executable for writing fails while it runs.
!macro CHECK_NOT_RUNNING UN
Function ${UN}CheckNotRunning
  retry:
  StrCpy $R9 ""
  ${If} ${FileExists} "$INSTDIR\gkdesk-gui.exe"
    ClearErrors
    FileOpen $R8 "$INSTDIR\gkdesk-gui.exe" a
    ${If} ${Errors}
      StrCpy $R9 "busy"
    ${Else}
      FileClose $R8
    ${EndIf}
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\gkdesk.exe"
    ClearErrors
    FileOpen $R8 "$INSTDIR\gkdesk.exe" a
    ${If} ${Errors}
      StrCpy $R9 "busy"
    ${Else}
      FileClose $R8
    ${EndIf}
  ${EndIf}
  ${If} $R9 == "busy"
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APPNAME}正在运行。$\r$\n请先关闭它的窗口(以及正在运行的自检),再点“重试”。" /SD IDCANCEL IDRETRY retry
    Abort
  ${EndIf}
FunctionEnd
!macroend
!insertmacro CHECK_NOT_RUNNING ""
!insertmacro CHECK_NOT_RUNNING "un."

Function .onInit
  SetShellVarContext current
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APPNAME}需要 64 位的 Windows 10 或 Windows 11。$\r$\n这台电脑是 32 位系统,无法安装。" /SD IDOK
    Abort
  ${EndIf}
  ${WinVerGetBuild} $0
  ${IfNot} ${AtLeastWin10}
  ${OrIf} $0 < ${MIN_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "${APPNAME}需要 Windows 10(1607 或更新的版本)或 Windows 11。$\r$\n这台电脑的 Windows 版本太旧,请联系县里的信息化工作人员。" /SD IDOK
    Abort
  ${EndIf}
  ${If} $0 < ${SUPPORTED_BUILD}
    MessageBox MB_YESNO|MB_ICONEXCLAMATION "这台电脑是 Windows 10 1607 至 1803(例如 LTSB 2016)。$\r$\n本程序在这些版本上应能运行,但未经测试;建议安装后在“开始”菜单运行“自检(技术人员用)”。$\r$\n$\r$\n是否继续安装?" /SD IDYES IDYES +2
    Abort
  ${EndIf}
FunctionEnd

Section "!${APPNAME}(必需)" SecMain
  SectionIn RO
  SetShellVarContext current
  Call CheckNotRunning
  ; An earlier version's library folder goes first so that nothing stale stays behind.
  ; Only inside a folder that is recognisably gkdesk's.
  ${If} ${FileExists} "$INSTDIR\gkdesk.exe"
  ${AndIf} ${FileExists} "$INSTDIR\_internal\*.*"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  SetOutPath "$INSTDIR"
  File /r "${SRCDIR}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\gkdesk-gui.exe" "" "$INSTDIR\gkdesk-gui.exe" 0 SW_SHOWNORMAL "" "乡镇政务公开、村务公开与补贴公示的离线助手"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}(演示数据).lnk" "$INSTDIR\gkdesk-gui.exe" "--demo" "$INSTDIR\gkdesk-gui.exe" 0 SW_SHOWNORMAL "" "打开演示数据练习,不影响正式数据"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\自检(技术人员用).lnk" "$SYSDIR\cmd.exe" '/k ""$INSTDIR\gkdesk.exe" selftest"' "$INSTDIR\gkdesk.exe" 0 SW_SHOWNORMAL "" "检查本程序能否在这台电脑上正常工作"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk" "$INSTDIR\uninstall.exe" "" "$INSTDIR\uninstall.exe" 0 SW_SHOWNORMAL "" "卸载程序(您的数据默认保留)"

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "gkdesk"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\gkdesk-gui.exe"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

Section "桌面快捷方式" SecDesktop
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\gkdesk-gui.exe" "" "$INSTDIR\gkdesk-gui.exe" 0 SW_SHOWNORMAL "" "乡镇政务公开、村务公开与补贴公示的离线助手"
SectionEnd

Section /o "桌面快捷方式(演示数据,培训用)" SecDesktopDemo
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  CreateShortcut "$DESKTOP\${APPNAME}(演示).lnk" "$INSTDIR\gkdesk-gui.exe" "--demo" "$INSTDIR\gkdesk-gui.exe" 0 SW_SHOWNORMAL "" "打开演示数据练习,不影响正式数据"
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  Call un.CheckNotRunning

  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}(演示数据).lnk"
  Delete "$SMPROGRAMS\${APPNAME}\自检(技术人员用).lnk"
  Delete "$SMPROGRAMS\${APPNAME}\卸载${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  Delete "$DESKTOP\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}(演示).lnk"

  ; Only what the installer put there: a folder the IT person chose by hand may hold other files.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\gkdesk.exe"
  Delete "$INSTDIR\gkdesk-gui.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTKEY}"

  ; Demo data are generated on demand and never the clerk's own.
  RMDir /r "${DEMODIR}"

  ${If} ${FileExists} "${DATADIR}\*.*"
    ${GetParameters} $R0
    ClearErrors
    ${GetOptions} $R0 "/DELETEDATA" $R1
    ${IfNot} ${Errors}
      RMDir /r "${DATADIR}"
    ${ElseIfNot} ${Silent}
      MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "是否同时删除您的数据?$\r$\n$\r$\n数据位置:${DATADIR}$\r$\n(包括补贴清册、公示记录、同步包和自动备份)$\r$\n$\r$\n选“否”(推荐):数据保留,重新安装后可以继续使用。$\r$\n选“是”:数据永久删除,无法恢复。" IDNO keep_data
      RMDir /r "${DATADIR}"
      keep_data:
    ${EndIf}
  ${EndIf}
SectionEnd
