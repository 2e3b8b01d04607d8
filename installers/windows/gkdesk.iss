; Inno Setup 6 script: installs the PyInstaller one-folder build of gkdesk on Windows.
; Build on Windows (see README.md beside this file):
;   ISCC.exe /DAppVersion=0.1.0 installers\windows\gkdesk.iss   ->  dist\gkdesk-0.1.0-setup.exe
;
; Per-user (no administrator needed, default) or per-machine: the clerk or the county's
; IT person chooses in the first dialog (PrivilegesRequiredOverridesAllowed), or on the
; command line with /CURRENTUSER or /ALLUSERS.
; The clerk's data (%LOCALAPPDATA%\gkdesk = platformdirs.user_data_dir("gkdesk",
; appauthor=False)) are kept on uninstall unless the clerk answers "是" to deleting them
; (a silent uninstall deletes them only with /DELETEDATA=yes).

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "基层政务公开桌面助手"
#define SourceDir "..\..\dist\gkdesk"

[Setup]
AppId={{86BB7353-AE2B-486B-8511-26D4920E0B5A}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=gkdesk
DefaultDirName={autopf}\gkdesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
UsedUserAreasWarning=no
OutputDir=..\..\dist
OutputBaseFilename=gkdesk-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\gkdesk.ico
UninstallDisplayIcon={app}\gkdesk-gui.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; Qt 6 and Python 3.11 need 64-bit Windows 10 or later.
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
CloseApplications=yes

[Languages]
Name: "chinesesimp"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "在桌面上创建快捷方式"; GroupDescription: "快捷方式:"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\gkdesk-gui.exe"; WorkingDir: "{app}"; Comment: "乡镇政务公开、村务公开与补贴公示的离线助手"
Name: "{group}\{#AppName}(演示数据)"; Filename: "{app}\gkdesk-gui.exe"; Parameters: "--demo"; WorkingDir: "{app}"; Comment: "打开演示数据,不影响正式数据"
Name: "{group}\自检(技术人员用)"; Filename: "{cmd}"; Parameters: "/k ""{app}\gkdesk.exe"" selftest"; WorkingDir: "{app}"; IconFilename: "{app}\gkdesk.exe"; Comment: "检查本程序能否正常工作"
Name: "{group}\卸载{#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\gkdesk-gui.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\gkdesk-gui.exe"; Description: "立即启动{#AppName}"; Flags: nowait postinstall skipifsilent

[Code]
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\gkdesk');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DeleteData: Boolean;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  { Demo data are generated on demand and never the clerk's own: always removed. }
  DelTree(ExpandConstant('{localappdata}\gkdesk-demo'), True, True, True);
  if not DirExists(DataDir()) then
    exit;
  if UninstallSilent then
    DeleteData := CompareText(ExpandConstant('{param:DELETEDATA|no}'), 'yes') = 0
  else
    DeleteData := MsgBox('是否同时删除您的数据?' + #13#10#13#10 +
      '数据目录:' + DataDir() + #13#10 +
      '其中有本乡镇的全部台账、补贴发放清册、公示记录和自动备份,删除后无法恢复。' + #13#10#13#10 +
      '选“否”保留数据(推荐):重新安装后可继续使用。',
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  if DeleteData then
  begin
    if not DelTree(ExpandConstant('{localappdata}\gkdesk'), True, True, True) then
      MsgBox('数据目录未能全部删除,请手工删除:' + #13#10 + DataDir(), mbError, MB_OK);
  end;
end;
